package dev.asyncocr.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The resource schemas of custom resource definitions (their {@code openAPIV3Schema}), made strict the
 * way {@code kubectl apply --validate=strict} is: an object field that its schema does not declare is an
 * error unless the schema preserves unknown fields. Kubernetes' own extensions become JSON Schema:
 * {@code x-kubernetes-int-or-string} as integer-or-string, {@code nullable} as a null type.
 */
final class CrdSchemas {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** By {@code apiVersion/kind}, e.g. {@code serving.knative.dev/v1/Service}. */
    private final Map<String, JsonSchema> schemas = new HashMap<>();

    CrdSchemas(Path folder) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode crd = YAML.readTree(file.toFile());
                String group = crd.at("/spec/group").asText();
                String kind = crd.at("/spec/names/kind").asText();
                for (JsonNode version : crd.at("/spec/versions")) {
                    ObjectNode schema = (ObjectNode) strict(version.at("/schema/openAPIV3Schema").deepCopy());
                    ObjectNode root = schema.with("properties"); // every object has these, declared or not
                    root.putIfAbsent("apiVersion", JsonNodeFactory.instance.objectNode().put("type", "string"));
                    root.putIfAbsent("kind", JsonNodeFactory.instance.objectNode().put("type", "string"));
                    root.putIfAbsent("metadata", JsonNodeFactory.instance.objectNode().put("type", "object"));
                    schemas.put(group + "/" + version.get("name").asText() + "/" + kind,
                            factory.getSchema(schema, config));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean knows(JsonNode resource) {
        return schemas.containsKey(key(resource));
    }

    /**
     * The schema's complaints about a resource; empty when it is valid. Null fields are dropped first, as
     * the API server prunes them where the schema does not make them nullable.
     */
    List<String> validate(JsonNode resource) {
        JsonSchema schema = schemas.get(key(resource));
        if (schema == null) {
            return List.of("no schema for " + key(resource));
        }
        Set<ValidationMessage> messages = schema.validate(withoutNulls(resource.deepCopy()));
        return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static JsonNode withoutNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(field -> field.getValue().isNull());
            object.forEach(CrdSchemas::withoutNulls);
        } else if (node instanceof ArrayNode array) {
            array.forEach(CrdSchemas::withoutNulls);
        }
        return node;
    }

    private static String key(JsonNode resource) {
        return resource.path("apiVersion").asText() + "/" + resource.path("kind").asText();
    }

    private static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.fields().forEachRemaining(field -> strict(field.getValue()));
            if (object.path("x-kubernetes-int-or-string").asBoolean()) {
                object.remove("type");
                object.remove("anyOf");
                ArrayNode either = object.putArray("anyOf");
                either.addObject().put("type", "integer");
                either.addObject().put("type", "string");
            }
            if (object.path("nullable").asBoolean() && object.has("type")) {
                ArrayNode types = JsonNodeFactory.instance.arrayNode().add(object.get("type").asText()).add("null");
                object.set("type", types);
            }
            boolean declaresFields = object.has("properties");
            if (declaresFields && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                object.put("additionalProperties", false);
            }
        } else if (node instanceof ArrayNode array) {
            for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
                strict(it.next());
            }
        }
        return node;
    }
}
