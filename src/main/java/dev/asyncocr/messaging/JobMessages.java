package dev.asyncocr.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.job.FairShare;
import dev.asyncocr.job.JobMessage;
import dev.asyncocr.job.Lane;
import dev.asyncocr.job.Schedule;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Job messages on the wire and the addresses they travel to: the one place that knows either. */
@Singleton
public class JobMessages {

    static final String CONTENT_TYPE = "application/json";
    static final String DEAD_LETTER_SUFFIX = ".dlq";
    /** Application property of a dead-lettered message: why it was parked. */
    static final String DEAD_LETTER_REASON = "x-dead-letter-reason";

    /** Inserted before a named tenant's part of its queues' names. */
    static final String TENANT_INFIX = ".tenant.";

    /**
     * A queue workers take jobs from.
     *
     * @param tenant the named tenant whose jobs alone it holds; null for the queue the other tenants share
     */
    public record Queue(String address, Lane lane, String tenant) {
    }

    private final String requests;
    private final ObjectMapper json;
    /** Which tenants have queues of their own. */
    private final FairShare fairShare;

    @Inject
    public JobMessages(QueueConfig config, FairShare fairShare, ObjectMapper json) {
        this(config.address(), fairShare, json);
    }

    /** @param address {@code ocr.queue.address} */
    JobMessages(String address, FairShare fairShare, ObjectMapper json) {
        this.requests = address;
        this.fairShare = fairShare;
        this.json = json;
    }

    /** The queue the normal-priority jobs of the tenants without a queue of their own go through: the address. */
    public String requests() {
        return requests;
    }

    /**
     * The queue of a lane's jobs of a share: the configured address, then {@code .tenant.<tenant>} for a tenant with
     * queues of its own, then {@code .high} or {@code .low} for those lanes.
     *
     * @param share the job's {@link Schedule#share()}: a tenant with queues of its own, or null for the shared ones (a
     *              tenant that no longer has its own, as the settings changed, is shared)
     */
    public String requests(Lane lane, String share) {
        String own = fairShare.shareOf(share);
        String base = own == null ? requests : requests + TENANT_INFIX + queueSafe(own);
        return lane == Lane.NORMAL ? base : base + "." + lane.wireName();
    }

    /** Every queue workers take from: each lane's shared one, and each lane's of each tenant with its own. */
    public List<Queue> queues() {
        List<Queue> queues = new ArrayList<>();
        for (Lane lane : Lane.values()) {
            queues.add(new Queue(requests(lane, null), lane, null));
            fairShare.ownQueues().stream().sorted().forEach(tenant -> queues.add(new Queue(requests(lane, tenant), lane, tenant)));
        }
        return List.copyOf(queues);
    }

    /**
     * A tenant's name as part of a queue's: letters, digits, {@code -} and {@code _} as they are, every other byte of
     * its UTF-8 as {@code ~} and two hex digits, so that no name can reach another queue or mean a wildcard, a
     * separator or a path to the broker.
     */
    static String queueSafe(String tenant) {
        StringBuilder safe = new StringBuilder();
        for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
                safe.append(c);
            } else {
                safe.append('~').append(HexFormat.of().toHexDigits(b));
            }
        }
        return safe.toString();
    }

    /** Where messages go that failed for good: for people to look at, nothing consumes it. */
    public String deadLetters() {
        return requests + DEAD_LETTER_SUFFIX;
    }

    /** The job as a message; {@code traceHeaders} (W3C trace context) go into its application properties. */
    Message encode(JobMessage job, Map<String, String> traceHeaders) {
        Message message = Message.Factory.create();
        if (!traceHeaders.isEmpty()) {
            message.setApplicationProperties(new ApplicationProperties(new HashMap<>(traceHeaders)));
        }
        try {
            message.setBody(new Data(new Binary(json.writeValueAsBytes(job))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write job message " + job, e);
        }
        message.setContentType(CONTENT_TYPE);
        message.setMessageId(job.requestId() + "/" + job.attempt());
        message.setCreationTime(System.currentTimeMillis()); // how long it waited, for the starvation guard
        return message;
    }

    /**
     * Reads a job message: JSON in a data section (as we send it) or in a string value (as other
     * clients often send it).
     *
     * @throws IllegalArgumentException when it is not a job message
     */
    JobMessage decode(Message message) {
        JobMessage job;
        try {
            job = json.readValue(body(message.getBody()), JobMessage.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a job message: " + e.getMessage(), e);
        }
        if (job == null || job.requestId() == null || job.requestId().isBlank() || job.options() == null) {
            throw new IllegalArgumentException("Not a job message: request_id and options are required");
        }
        return job;
    }

    /** The message's application properties, where the trace context travels; empty when it has none. */
    static Map<String, ?> properties(Message message) {
        ApplicationProperties properties = message.getApplicationProperties();
        return properties == null || properties.getValue() == null ? Map.of() : properties.getValue();
    }

    /** A copy of {@code original} for the dead-letter queue, saying why it is there. */
    Message deadLetter(Message original, String reason) {
        Message copy = Message.Factory.create();
        copy.setBody(original.getBody());
        copy.setContentType(original.getContentType());
        copy.setMessageId(original.getMessageId());
        copy.setApplicationProperties(new ApplicationProperties(Map.of(DEAD_LETTER_REASON, reason)));
        return copy;
    }

    private static byte[] body(Section body) {
        if (body instanceof Data data) {
            Binary bytes = data.getValue();
            return Arrays.copyOfRange(bytes.getArray(), bytes.getArrayOffset(),
                    bytes.getArrayOffset() + bytes.getLength());
        }
        if (body instanceof AmqpValue value && value.getValue() instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("Not a job message: the body is " + (body == null ? "empty"
                : body.getClass().getSimpleName()));
    }
}
