package dev.asyncocr.testing;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;

/** One read of {@code /q/metrics}: every sample by its name and labels as written, e.g. {@code a_total{x="y"}}. */
public final class PrometheusScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)(?: .*)?$",
            Pattern.MULTILINE);

    private final Map<String, Double> samples = new TreeMap<>();

    private PrometheusScrape(String text) {
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
    }

    public static PrometheusScrape now() {
        return new PrometheusScrape(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The metrics of the replica on {@code port}, when a test runs several. */
    public static PrometheusScrape at(int port) {
        return new PrometheusScrape(given().port(port).when().get("/q/metrics").then().statusCode(200).extract()
                .asString());
    }

    /**
     * The sample with this name whose labels include all of {@code labels} ("k=v" pairs), summed over the
     * others; 0 when there is none.
     */
    public double value(String name, String... labels) {
        return samples.entrySet().stream().filter(e -> matches(e.getKey(), name, labels))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The samples of this name, each by its labels as written. */
    public Set<String> series(String name) {
        return samples.keySet().stream().filter(key -> matches(key, name)).collect(Collectors.toSet());
    }

    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{"));
    }

    private static boolean matches(String key, String name, String... labels) {
        if (!key.equals(name) && !key.startsWith(name + "{")) {
            return false;
        }
        for (String label : labels) {
            String[] kv = label.split("=", 2);
            if (!key.contains(kv[0] + "=\"" + kv[1] + "\"")) {
                return false;
            }
        }
        return true;
    }
}
