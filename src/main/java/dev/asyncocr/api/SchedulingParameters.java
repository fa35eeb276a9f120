package dev.asyncocr.api;

import dev.asyncocr.job.DeadlinePolicy;
import dev.asyncocr.job.ErrorCode;
import dev.asyncocr.job.Lane;
import dev.asyncocr.job.Schedule;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Set;

/**
 * When a submission wants its job started by: {@code deadline}, an RFC 3339 time, or {@code timeout}, seconds
 * from now, not both; with {@code deadline_policy=reject}, refused at once when the queue cannot start it in
 * time; and its {@code priority}, the lane it waits in. Query parameters here; a multipart submission may give
 * them as form fields instead ({@link #withForm}).
 */
public record SchedulingParameters(@RestQuery(DEADLINE) String deadline, @RestQuery(TIMEOUT) String timeout,
        @RestQuery(DEADLINE_POLICY) String deadlinePolicy, @RestQuery(PRIORITY) String priority) {

    static final String DEADLINE = "deadline";
    static final String TIMEOUT = "timeout";
    static final String DEADLINE_POLICY = "deadline_policy";
    static final String PRIORITY = "priority";
    /** The query parameters (and form fields) read here. */
    static final Set<String> NAMES = Set.of(DEADLINE, TIMEOUT, DEADLINE_POLICY, PRIORITY);
    /** The longest timeout taken: a day, far beyond any wait a queue should have. */
    static final long MAX_TIMEOUT_SECONDS = 86_400;

    /** These parameters, each from the query or from the form field of its name (not both). */
    SchedulingParameters withForm(String deadlineField, String timeoutField, String policyField,
            String priorityField) {
        return new SchedulingParameters(OcrResource.oneOf(DEADLINE, deadlineField, deadline),
                OcrResource.oneOf(TIMEOUT, timeoutField, timeout),
                OcrResource.oneOf(DEADLINE_POLICY, policyField, deadlinePolicy),
                OcrResource.oneOf(PRIORITY, priorityField, priority));
    }

    /**
     * What to do when the queue cannot start the job by its deadline: {@code expire} (the default) or
     * {@code reject}.
     *
     * @throws ApiException {@link ErrorCode#INVALID_PARAMETER} for another value, or a policy without a deadline
     */
    DeadlinePolicy policy() {
        if (deadlinePolicy == null) {
            return DeadlinePolicy.EXPIRE;
        }
        if (deadline == null && timeout == null) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + DEADLINE_POLICY + "' needs a '" + DEADLINE
                    + "' or '" + TIMEOUT + "'");
        }
        return Arrays.stream(DeadlinePolicy.values()).filter(p -> p.wireName().equals(deadlinePolicy)).findFirst()
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_PARAMETER, "'" + DEADLINE_POLICY
                        + "' must be expire or reject, not '" + deadlinePolicy + "'"));
    }

    /**
     * The schedule asked for, its deadline reckoned from {@code now}.
     *
     * @throws ApiException {@link ErrorCode#INVALID_PARAMETER} for a malformed or past deadline, a timeout that is
     *                      not 1 to {@value #MAX_TIMEOUT_SECONDS} whole seconds, or both given
     */
    Schedule schedule(Instant now) {
        if (deadline != null && timeout != null) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER,
                    "Give '" + DEADLINE + "' or '" + TIMEOUT + "', not both");
        }
        Lane lane = lane(PRIORITY, priority);
        if (timeout != null) {
            return new Schedule(now.plus(timeout(timeout)), lane);
        }
        return new Schedule(deadline == null ? null : deadline(DEADLINE, deadline, now), lane);
    }

    /**
     * The lane a priority names, {@code high}, {@code normal} or {@code low}; normal when absent.
     *
     * @param name what the client called it, for the error message
     * @throws ApiException {@link ErrorCode#INVALID_PARAMETER} for another value
     */
    static Lane lane(String name, String value) {
        if (value == null) {
            return Lane.NORMAL;
        }
        return Lane.ofWireName(value).orElseThrow(() -> new ApiException(ErrorCode.INVALID_PARAMETER, "'" + name
                + "' must be high, normal or low, not '" + value + "'"));
    }

    /**
     * A deadline given as an RFC 3339 time with its offset ({@code 2026-12-03T18:00:00Z}), which must be after
     * {@code now}.
     *
     * @param name what the client called it, for the error message
     */
    static Instant deadline(String name, String value, Instant now) {
        Instant at;
        try {
            at = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + name + "' must be an RFC 3339 time with its"
                    + " offset, e.g. 2026-12-03T18:00:00Z, not '" + value + "'");
        }
        if (!at.isAfter(now)) {
            throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + name + "' " + value + " has passed (it is now "
                    + now + ")");
        }
        return at;
    }

    private static Duration timeout(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ErrorCode.INVALID_PARAMETER, "'" + TIMEOUT + "' must be a whole number of seconds from 1"
                + " to " + MAX_TIMEOUT_SECONDS + ", not '" + value + "'");
    }
}
