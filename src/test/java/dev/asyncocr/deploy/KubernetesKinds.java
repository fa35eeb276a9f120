package dev.asyncocr.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' own kinds (no CRD describes them), read into the fabric8 model of the API: a field of the
 * wrong type fails to bind, and a field the API does not have, which fabric8 keeps aside in
 * {@code additionalProperties}, is reported.
 */
final class KubernetesKinds {

    private static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "v1/Service", Service.class,
            "v1/Secret", Secret.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private KubernetesKinds() {
    }

    static boolean knows(JsonNode resource) {
        return KINDS.containsKey(key(resource));
    }

    /** The problems with a resource; empty when it is valid. */
    static List<String> validate(JsonNode resource) {
        Class<?> type = KINDS.get(key(resource));
        if (type == null) {
            return List.of("not a known Kubernetes kind: " + key(resource));
        }
        Object parsed;
        try {
            parsed = JSON.treeToValue(resource, type);
        } catch (Exception e) {
            return List.of(e.getMessage());
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(parsed, "$", unknown);
        return unknown;
    }

    private static String key(JsonNode resource) {
        return resource.path("apiVersion").asText() + "/" + resource.path("kind").asText();
    }

    private static void collectUnknown(Object value, String path, List<String> unknown) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknown(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> collectUnknown(item, path + "." + key, unknown));
            return;
        }
        if (value == null || !value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                collectUnknown(field, path + "." + decapitalize(getter.getName().substring(3)), unknown);
            }
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
