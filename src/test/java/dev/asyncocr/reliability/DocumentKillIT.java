package dev.asyncocr.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.testing.ServiceReplicas;
import dev.asyncocr.testing.TestDocuments;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 30-page document on an api replica and two worker replicas (one page at a time each) sharing RabbitMQ and
 * Redis; one worker is SIGKILLed while it runs a page, with some pages done: its page is delivered again to the
 * other worker, every page ends final once with its own text, the job completes once, and its one completion
 * event reaches the receiver.
 */
class DocumentKillIT extends LoadedReplicas {

    private static final int PAGES = 30;
    private static final Duration WITHIN = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWorkerKilledMidDocumentLosesNoPageAndDoublesNone() throws Exception {
        int victimPort = ServiceReplicas.freePort();
        int apiPort = ServiceReplicas.freePort();
        Process victim = replicas.start(victimPort, "victim", worker());
        replicas.start(ServiceReplicas.freePort(), "survivor", worker());
        replicas.start(apiPort, "api", role("api")); // RestAssured now talks to the api
        byte[] document = TestDocuments.pdf(null, pdf -> IntStream.rangeClosed(1, PAGES)
                .forEach(page -> TestDocuments.vectorPage(pdf, text(page), 400, 100, 36)));

        long start = System.nanoTime();
        String id = given().contentType("application/pdf").body(document).queryParam("cls", "false")
                .queryParam("dpi", "150").queryParam("callback_url", receiver.url("/hook")).when().post("/ocr/async")
                .then().statusCode(202).extract().path("request_id");
        // both workers' pages PROCESSING in the store, the victim's among them: a worker counts a page in flight
        // from its message, a moment before the store has it started, and a kill in that moment interrupted
        // nothing the store knew of (CI, once the workers stopped pausing between pages)
        await("some pages done, one running on each worker").atMost(WITHIN).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    Collection<String> statuses = statuses(id).values();
                    return statuses.contains("SUCCEEDED")
                            && statuses.stream().filter("PROCESSING"::equals).count() == 2;
                });
        ServiceReplicas.kill(victim);
        Map<Integer, JsonNode> atKill = pages(id);
        List<Integer> running = pagesIn(atKill, "PROCESSING");
        int done = pagesIn(atKill, "SUCCEEDED").size();

        Map<String, Outcomes.Final> finals = Outcomes.awaitDelivered(apiPort, List.of(id), WITHIN);
        JsonPath result = given().when().get("/ocr/result/" + id).then().statusCode(200).extract().jsonPath();
        Map<Integer, JsonNode> atEnd = pages(id);
        List<Integer> redelivered = atEnd.entrySet().stream().filter(e -> e.getValue().path("attempts").asInt() > 1)
                .map(Map.Entry::getKey).toList();
        List<Integer> numbers = result.getList("pages.page", Integer.class);
        List<String> misread = IntStream.range(0, numbers.size())
                .filter(i -> !compact(result.getString("pages[" + i + "].text")).equals(compact(text(numbers.get(i)))))
                .mapToObj(i -> numbers.get(i) + ": '" + result.getString("pages[" + i + "].text") + "'").toList();
        int lost = PAGES - (int) numbers.stream().distinct().count();
        int duplicated = numbers.size() - (int) numbers.stream().distinct().count();
        List<Event> events = receiver.received(r -> id.equals(r.header("ce-subject"))).stream()
                .map(r -> new Event(r.header("ce-id"), r.header("ce-type"))).toList();
        Map<String, List<Integer>> finishes = Outcomes.finishes(List.of(replicas.logFile("victim"),
                replicas.logFile("survivor"), replicas.logFile("api")));
        System.out.printf("[reliability] document kill: %d pages in %.1f s; killed with %d done and pages %s running;"
                        + " redelivered %s; lost %d, duplicated %d, misread %s; %d completion event(s)%n", PAGES,
                (System.nanoTime() - start) / 1e9, done, running, redelivered, lost, duplicated, misread, events.size());

        assertEquals("succeeded", result.getString("status"), result.prettify());
        assertEquals(IntStream.rangeClosed(1, PAGES).boxed().toList(), numbers, "every page once, in order");
        assertEquals(List.of(), misread, "pages not reading their own text");
        assertTrue(atEnd.values().stream().allMatch(p -> p.path("status").asText().equals("SUCCEEDED")), "" + atEnd);
        assertTrue(!running.isEmpty() && done >= 1, "the kill came mid-document: " + atKill);
        // only a page running at the kill may run twice
        assertTrue(running.containsAll(redelivered), "only a page running at the kill ran again: running " + running
                + ", redelivered " + redelivered);
        assertEquals(List.of(1), finishes.get(id), "the job finished once, on its first attempt (its pages retry)");
        assertEquals(1, events.size(), "completion events: " + events);
        assertEquals("dev.asyncocr.ocr.completed", events.get(0).type());
        assertEquals("delivered", finals.get(id).deliveryState());
    }

    /** A completion event as received. */
    private record Event(String id, String type) {
    }

    private static Map<String, String> worker() {
        return role("worker");
    }

    private static Map<String, String> role(String role) {
        Map<String, String> env = new HashMap<>(Settings.replica(1));
        env.put("OCR_ROLE", role);
        return env;
    }

    private static String text(int page) {
        return "PAGE " + page + " OF " + PAGES;
    }

    /** The document's page tasks as Redis holds them, by page number. */
    private Map<Integer, JsonNode> pages(String id) throws Exception {
        Map<Integer, JsonNode> pages = new TreeMap<>();
        for (Map.Entry<String, String> page : replicas.redisHash("pages:" + id).entrySet()) {
            pages.put(Integer.valueOf(page.getKey()), JSON.readTree(page.getValue()));
        }
        return pages;
    }

    private Map<Integer, String> statuses(String id) throws Exception {
        Map<Integer, String> statuses = new TreeMap<>();
        pages(id).forEach((page, task) -> statuses.put(page, task.path("status").asText()));
        return statuses;
    }

    private static List<Integer> pagesIn(Map<Integer, JsonNode> pages, String status) {
        return pages.entrySet().stream().filter(e -> e.getValue().path("status").asText().equals(status))
                .map(Map.Entry::getKey).toList();
    }

    private static String compact(String text) {
        return text == null ? "" : text.replaceAll("\\s", "");
    }
}
