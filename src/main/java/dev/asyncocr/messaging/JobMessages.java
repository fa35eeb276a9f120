package dev.asyncocr.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.config.QueueConfig;
import dev.asyncocr.job.JobMessage;
import dev.asyncocr.job.Lane;
import jakarta.inject.Singleton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Job messages on the wire and the addresses they travel to: the one place that knows either. */
@Singleton
public class JobMessages {

    static final String CONTENT_TYPE = "application/json";
    static final String DEAD_LETTER_SUFFIX = ".dlq";
    /** Application property of a dead-lettered message: why it was parked. */
    static final String DEAD_LETTER_REASON = "x-dead-letter-reason";

    private final String requests;
    private final ObjectMapper json;

    public JobMessages(QueueConfig config, ObjectMapper json) {
        this.requests = config.address();
        this.json = json;
    }

    /** The queue the normal-priority jobs go through: the configured address, as before there were lanes. */
    public String requests() {
        return requests;
    }

    /** The queue of a lane's jobs: the configured address for normal, with {@code .high} or {@code .low} else. */
    public String requests(Lane lane) {
        return lane == Lane.NORMAL ? requests : requests + "." + lane.wireName();
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
