package dev.asyncocr.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.asyncocr.job.EventTypes;
import dev.asyncocr.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every manifest we ship, checked offline after {@code mvn package}: the generated Knative Service and
 * Deployment (target/kubernetes) and every file in knative/, strictly against the Knative Serving 1.23,
 * Eventing 1.22 and KEDA 2.20 schemas in ../shared/crds (Kubernetes' own kinds against its API model),
 * plus the facts a deployment depends on.
 */
class ManifestsIT {

    private static final Path GENERATED = Path.of(System.getProperty("manifests.dir", "target/kubernetes"));
    private static final Path KNATIVE = Path.of("knative");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The volume types the restricted profile admits. */
    private static final List<String> RESTRICTED_VOLUMES = List.of("configMap", "csi", "downwardAPI", "emptyDir",
            "ephemeral", "persistentVolumeClaim", "projected", "secret");
    private static CrdSchemas crds;
    /** Every resource by "file#kind/name". */
    private static final Map<String, JsonNode> resources = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws IOException {
        crds = new CrdSchemas(SharedData.require("crds"));
        read(GENERATED.resolve("knative.yml"));
        read(GENERATED.resolve("kubernetes.yml"));
        try (Stream<Path> files = Files.walk(KNATIVE)) {
            // knative/monitoring/ holds a PrometheusRule, which has no schema here: MonitoringTest checks it
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.startsWith(KNATIVE.resolve("monitoring")))
                    .sorted().toList()) {
                read(file);
            }
        }
    }

    @Test
    void everyManifestIsValidAgainstItsSchema() {
        List<String> problems = new ArrayList<>();
        resources.forEach((name, resource) -> validate(resource).forEach(p -> problems.add(name + ": " + p)));
        assertEquals(List.of(), problems);
        assertTrue(resources.size() >= 11, "manifests read: " + resources.keySet());
    }

    @Test
    void theGpuKnativeServiceScalesOnTheQueueThroughKeda() throws IOException {
        JsonNode service = resource("knative.yml", "Service", "async-ocr");
        JsonNode container = onlyContainer(service.at("/spec/template/spec"));
        assertGpuWorkload(service.at("/spec/template/spec"), container, "all");
        JsonNode annotations = service.at("/spec/template/metadata/annotations");
        assertEquals("hpa.autoscaling.knative.dev", annotations.path("autoscaling.knative.dev/class").asText());
        assertTrue(annotations.path("autoscaling.knative.dev/min-scale").asInt() >= 1, "the HPA class cannot scale to zero");
        assertTrue(annotations.path("autoscaling.knative.dev/max-scale").asInt() > 1);
        assertTrue(service.at("/spec/template/spec/containerConcurrency").asInt() > 0);
        assertTrue(service.at("/spec/template/spec/timeoutSeconds").asInt() > 30, "longer than POST /ocr's wait");

        JsonNode override = scaledObjectOverride(service);
        assertEquals(List.of(), crds.validate(override), "the override, completed as autoscaler-keda does");
        assertQueueTrigger(override, container);
    }

    @Test
    void theScaleToZeroShapeScalesTheWorkerDeploymentFromZero() {
        JsonNode deployment = resource("kubernetes.yml", "Deployment", "async-ocr-worker");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = onlyContainer(pod);
        assertGpuWorkload(pod, container, "worker");
        long grace = Duration.parse("PT" + env(container, "OCR_WORKER_SHUTDOWN_GRACE").toUpperCase()).toSeconds();
        assertTrue(pod.path("terminationGracePeriodSeconds").asLong() > grace,
                "the pod is killed only after the worker's own grace");

        JsonNode scaledObject = resource("scaledobject.yaml", "ScaledObject", "async-ocr-worker");
        assertEquals("Deployment", scaledObject.at("/spec/scaleTargetRef/kind").asText());
        assertEquals(deployment.at("/metadata/name").asText(), scaledObject.at("/spec/scaleTargetRef/name").asText());
        assertEquals(0, scaledObject.at("/spec/minReplicaCount").asInt());
        assertTrue(scaledObject.at("/spec/cooldownPeriod").asInt() >= 300, "GPU pods are slow to come back");
        assertTrue(scaledObject.at("/spec/fallback/replicas").asInt() > 0);
        assertQueueTrigger(scaledObject, container);

        JsonNode api = resource("api-service.yaml", "Service", "async-ocr");
        JsonNode apiContainer = onlyContainer(api.at("/spec/template/spec"));
        assertEquals("api", env(apiContainer, "OCR_ROLE"));
        assertTrue(apiContainer.at("/resources/limits/nvidia.com~1gpu").isMissingNode(), "the api needs no GPU");
        assertTrue(api.at("/spec/template/metadata/annotations/autoscaling.knative.dev~1min-scale").asInt() >= 1,
                "callbacks are delivered while the workers are at zero");
    }

    @Test
    void everyContainerOfEveryWorkloadMeetsTheRestrictedPodSecurityProfile() {
        List<String> workloads = new ArrayList<>();
        resources.forEach((name, resource) -> {
            if (resource.at("/spec/template/spec/containers").isArray()) {
                workloads.add(name);
                assertEquals(List.of(), restrictedProblems(resource), name);
            }
        });
        assertTrue(workloads.size() >= 3, "workloads: " + workloads);

        ObjectNode escalating = resource("kubernetes.yml", "Deployment", "async-ocr-worker").deepCopy();
        ((ObjectNode) escalating.at("/spec/template/spec/containers/0/securityContext"))
                .put("allowPrivilegeEscalation", true);
        assertEquals(1, restrictedProblems(escalating).size(), restrictedProblems(escalating).toString());
        ObjectNode hostPath = resource("knative.yml", "Service", "async-ocr").deepCopy();
        ((ObjectNode) hostPath.at("/spec/template/spec/volumes/0")).putObject("hostPath").put("path", "/");
        assertEquals(1, restrictedProblems(hostPath).size(), restrictedProblems(hostPath).toString());
    }

    @Test
    void aDisruptionBudgetKeepsADrainFromStoppingEveryWorker() {
        JsonNode deployment = resource("kubernetes.yml", "Deployment", "async-ocr-worker");
        JsonNode budget = resource("kubernetes.yml", "PodDisruptionBudget", "async-ocr-worker");
        assertEquals(1, budget.at("/spec/maxUnavailable").asInt());
        budget.at("/spec/selector/matchLabels").fields().forEachRemaining(label -> assertEquals(label.getValue(),
                deployment.at("/spec/template/metadata/labels").path(label.getKey()), label.getKey()));
        assertFalse(budget.at("/spec/selector/matchLabels").isEmpty());
    }

    @Test
    void eventingRoutesRequestsInAndCompletionsOut() {
        JsonNode trigger = resource("trigger.yaml", "Trigger", "ocr-requests");
        assertEquals(EventTypes.REQUESTED, trigger.at("/spec/filter/attributes/type").asText());
        assertEquals("Service", trigger.at("/spec/subscriber/ref/kind").asText());
        assertEquals("async-ocr", trigger.at("/spec/subscriber/ref/name").asText());
        assertEquals(trigger.at("/spec/broker").asText(),
                resource("broker.yaml", "Broker", trigger.at("/spec/broker").asText()).at("/metadata/name").asText());
        for (JsonNode delivery : List.of(trigger.at("/spec/delivery"),
                resource("broker.yaml", "Broker", "default").at("/spec/delivery"))) {
            assertTrue(delivery.path("retry").asInt() > 0, delivery.toString());
            JsonNode sink = delivery.at("/deadLetterSink/ref");
            assertEquals("Service", sink.path("kind").asText());
            resource("dead-letters.yaml", "Service", sink.path("name").asText());
        }

        JsonNode gpu = resource("gpu-service/sinkbinding.yaml", "SinkBinding", "async-ocr-completions");
        assertEquals("Service", gpu.at("/spec/subject/kind").asText());
        assertEquals("async-ocr", gpu.at("/spec/subject/name").asText());
        JsonNode workers = resource("scale-to-zero/sinkbinding.yaml", "SinkBinding", "async-ocr-worker-completions");
        assertEquals("Deployment", workers.at("/spec/subject/kind").asText());
        assertEquals("async-ocr-worker", workers.at("/spec/subject/name").asText());
    }

    @Test
    void brokenManifestsAreCaught() {
        JsonNode service = resource("knative.yml", "Service", "async-ocr");
        ObjectNode unknownField = service.deepCopy();
        ((ObjectNode) unknownField.at("/spec/template/spec/containers/0")).put("gpus", 1);
        assertTrue(crds.validate(unknownField).toString().contains("gpus"), crds.validate(unknownField).toString());
        ObjectNode misspelt = service.deepCopy();
        ((ObjectNode) misspelt.at("/spec/template/spec")).set("tolerationz", misspelt.at("/spec/template/spec/tolerations"));
        assertFalse(crds.validate(misspelt).isEmpty());
        ObjectNode wrongType = service.deepCopy();
        ((ObjectNode) wrongType.at("/spec/template/spec")).put("containerConcurrency", "fifty");
        assertFalse(crds.validate(wrongType).isEmpty());

        ObjectNode scaledObject = resource("scaledobject.yaml", "ScaledObject", "async-ocr-worker").deepCopy();
        ((ObjectNode) scaledObject.get("spec")).put("minReplicas", 0);
        assertTrue(crds.validate(scaledObject).toString().contains("minReplicas"));
        ObjectNode noTarget = resource("scaledobject.yaml", "ScaledObject", "async-ocr-worker").deepCopy();
        ((ObjectNode) noTarget.get("spec")).remove("scaleTargetRef");
        assertFalse(crds.validate(noTarget).isEmpty());

        ObjectNode deployment = resource("kubernetes.yml", "Deployment", "async-ocr-worker").deepCopy();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("resource", "gpu");
        assertTrue(KubernetesKinds.validate(deployment).toString().contains("resource"),
                KubernetesKinds.validate(deployment).toString());
        ObjectNode badReplicas = resource("kubernetes.yml", "Deployment", "async-ocr-worker").deepCopy();
        ((ObjectNode) badReplicas.get("spec")).put("replicas", "many");
        assertFalse(KubernetesKinds.validate(badReplicas).isEmpty());
    }

    private static void assertGpuWorkload(JsonNode pod, JsonNode container, String role) {
        assertEquals("1", container.at("/resources/limits/nvidia.com~1gpu").asText(), container.toString());
        assertEquals(role, env(container, "OCR_ROLE"));
        assertEquals("gpu", env(container, "OCR_ENGINE_DEVICE"));
        // each worker's CPU work (decoding, pre/post-processing) needs a CPU of its own to keep the GPU fed
        int workers = Integer.parseInt(env(container, "OCR_WORKER_CONCURRENCY"));
        assertTrue(workers > 1 && workers <= container.at("/resources/requests/cpu").asInt(),
                workers + " workers for " + container.at("/resources/requests"));
        int batch = Integer.parseInt(env(container, "OCR_WORKER_MAX_BATCH"));
        assertTrue(batch > 1 && batch <= workers, "a batch gathers the jobs running at once: " + batch);
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        int startupSeconds = container.at("/startupProbe/periodSeconds").asInt(10)
                * container.at("/startupProbe/failureThreshold").asInt(3);
        assertTrue(startupSeconds >= 120, "model loading gets " + startupSeconds + " s");
        assertEquals("NoSchedule", pod.at("/tolerations/0/effect").asText());
        assertFalse(pod.path("nodeSelector").isEmpty());
        assertEquals("async-ocr", container.at("/envFrom/0/secretRef/name").asText());
    }

    /** The queue trigger reads the sum of the queues the service sends to (its lanes'), with the shared credentials. */
    private static void assertQueueTrigger(JsonNode scaledObject, JsonNode container) {
        JsonNode trigger = scaledObject.at("/spec/triggers/0");
        assertEquals("rabbitmq", trigger.path("type").asText());
        assertEquals("http", trigger.at("/metadata/protocol").asText());
        assertEquals("true", trigger.at("/metadata/useRegex").asText());
        assertEquals("sum", trigger.at("/metadata/operation").asText());
        String address = env(container, "OCR_QUEUE_ADDRESS");
        String queue = address.substring(address.lastIndexOf('/') + 1);
        Pattern queues = Pattern.compile(trigger.at("/metadata/queueName").asText());
        assertEquals(List.of(true, true, true, true, true, true, false), Stream.of("", ".high", ".low", ".tenant.acme",
                        ".tenant.acme.high", ".tenant.caf~c3~a9.low", ".dlq")
                .map(lane -> queues.matcher(queue + lane).matches()).toList(),
                "the lanes' queues and the named tenants' own, not the dead letters");
        String auth = trigger.at("/authenticationRef/name").asText();
        JsonNode authentication = resource("keda-auth.yaml", "TriggerAuthentication", auth);
        JsonNode secret = resource("secrets.example.yaml", "Secret", "async-ocr");
        String key = authentication.at("/spec/secretTargetRef/0/key").asText();
        assertTrue(secret.at("/stringData").has(key), "the secret has " + key);
    }

    /** The ScaledObject autoscaler-keda makes from the override: it fills in name, target and bounds. */
    private static JsonNode scaledObjectOverride(JsonNode service) throws IOException {
        ObjectNode scaledObject = (ObjectNode) JSON.readTree(service
                .at("/spec/template/metadata/annotations/autoscaling.knative.dev~1scaled-object-override").asText());
        scaledObject.put("apiVersion", "keda.sh/v1alpha1").put("kind", "ScaledObject");
        scaledObject.putObject("metadata").put("name", "async-ocr-00001");
        ObjectNode spec = (ObjectNode) scaledObject.get("spec");
        spec.putObject("scaleTargetRef").put("name", "async-ocr-00001-deployment");
        spec.put("maxReplicaCount", service.at("/spec/template/metadata/annotations/autoscaling.knative.dev~1max-scale")
                .asInt());
        ((ObjectNode) spec.at("/advanced/horizontalPodAutoscalerConfig")).put("name", "async-ocr-00001");
        return scaledObject;
    }

    /**
     * What the restricted Pod Security Standard refuses in a workload's pod, each container's settings
     * taking precedence over the pod's; and a root filesystem that is not read-only, which we refuse too.
     */
    private static List<String> restrictedProblems(JsonNode workload) {
        JsonNode pod = workload.at("/spec/template/spec");
        List<String> problems = new ArrayList<>();
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(host).asBoolean()) {
                problems.add(host);
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            volume.fieldNames().forEachRemaining(type -> {
                if (!type.equals("name") && !RESTRICTED_VOLUMES.contains(type)) {
                    problems.add("volume " + volume.path("name").asText() + " of type " + type);
                }
            });
        }
        List<JsonNode> containers = new ArrayList<>();
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        for (JsonNode container : containers) {
            JsonNode own = container.path("securityContext");
            JsonNode shared = pod.path("securityContext");
            String name = container.path("name").asText() + ": ";
            if (!own.path("runAsNonRoot").asBoolean(shared.path("runAsNonRoot").asBoolean(false))) {
                problems.add(name + "runAsNonRoot is not true");
            }
            if (own.path("runAsUser").asInt(shared.path("runAsUser").asInt(-1)) == 0) {
                problems.add(name + "runAsUser is 0");
            }
            if (own.path("allowPrivilegeEscalation").asBoolean(true) || own.path("privileged").asBoolean()) {
                problems.add(name + "allowPrivilegeEscalation is not false");
            }
            List<String> dropped = new ArrayList<>();
            own.at("/capabilities/drop").forEach(c -> dropped.add(c.asText()));
            own.at("/capabilities/add").forEach(c -> {
                if (!c.asText().equals("NET_BIND_SERVICE")) {
                    problems.add(name + "adds the capability " + c.asText());
                }
            });
            if (!dropped.contains("ALL")) {
                problems.add(name + "does not drop ALL capabilities");
            }
            String seccomp = own.at("/seccompProfile/type").asText(shared.at("/seccompProfile/type").asText());
            if (!List.of("RuntimeDefault", "Localhost").contains(seccomp)) {
                problems.add(name + "seccompProfile is '" + seccomp + "', not RuntimeDefault");
            }
            if (!own.path("readOnlyRootFilesystem").asBoolean()) {
                problems.add(name + "the root filesystem is writable");
            }
        }
        return problems;
    }

    private static List<String> validate(JsonNode resource) {
        if (crds.knows(resource)) {
            return crds.validate(resource);
        }
        return KubernetesKinds.validate(resource);
    }

    private static JsonNode onlyContainer(JsonNode pod) {
        assertEquals(1, pod.path("containers").size());
        return pod.at("/containers/0");
    }

    private static String env(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable.path("value").asText();
            }
        }
        throw new AssertionError("no " + name + " in " + container.path("env"));
    }

    private static JsonNode resource(String file, String kind, String name) {
        return resources.entrySet().stream()
                .filter(e -> e.getKey().startsWith(file + "#") || e.getKey().contains("/" + file + "#"))
                .map(Map.Entry::getValue)
                .filter(r -> r.path("kind").asText().equals(kind) && r.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + file));
    }

    private static void read(Path file) throws IOException {
        String relative = file.startsWith(GENERATED) ? file.getFileName().toString() : KNATIVE.relativize(file).toString();
        try (var parser = CrdSchemas.YAML.createParser(file.toFile())) {
            for (JsonNode document : CrdSchemas.YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document != null && !document.isEmpty()) {
                    resources.put(relative + "#" + document.path("kind").asText() + "/"
                            + document.at("/metadata/name").asText(), document);
                }
            }
        }
    }
}
