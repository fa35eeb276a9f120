package dev.asyncocr.messaging;

import dev.asyncocr.config.QueueConfig;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the AMQP 1.0 broker listens and how to log in.
 *
 * @param username null for an anonymous (SASL ANONYMOUS) login
 */
public record BrokerEndpoint(String host, int port, boolean tls, String username, String password) {

    private static final int AMQP_PORT = 5672;
    private static final int AMQPS_PORT = 5671;

    /** The external broker of {@code ocr.queue.url}, with {@code ocr.queue.username/password} taking precedence. */
    static BrokerEndpoint of(URI url, QueueConfig config) {
        boolean tls = switch (String.valueOf(url.getScheme())) {
            case "amqp" -> false;
            case "amqps" -> true;
            default -> throw new IllegalArgumentException(
                    "ocr.queue.url must be amqp://host:port or amqps://host:port, not " + url);
        };
        if (url.getHost() == null) {
            throw new IllegalArgumentException("ocr.queue.url has no host: " + url);
        }
        String[] userInfo = url.getRawUserInfo() == null ? new String[0] : url.getRawUserInfo().split(":", 2);
        String user = config.username().orElse(userInfo.length > 0 ? decode(userInfo[0]) : null);
        String password = config.password().orElse(userInfo.length > 1 ? decode(userInfo[1]) : null);
        int port = url.getPort() > 0 ? url.getPort() : tls ? AMQPS_PORT : AMQP_PORT;
        return new BrokerEndpoint(url.getHost(), port, tls, user, password);
    }

    /** For logs, health data and error messages: where, never who (neither the user nor the password). */
    @Override
    public String toString() {
        return (tls ? "amqps://" : "amqp://") + host + ":" + port;
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
