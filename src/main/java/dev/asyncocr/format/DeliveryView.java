package dev.asyncocr.format;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.asyncocr.job.Delivery;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How a finished job's completion event (or a document page's event) fared with one target, as a poll shows it.
 *
 * @param target        {@code callback} or {@code sink}
 * @param state         {@code pending}, {@code delivered} or {@code failed}
 * @param nextAttemptAt when a pending delivery is tried next
 * @param page          the page whose event it is; absent for the completion event
 */
public record DeliveryView(@Schema(enumeration = {"callback", "sink"}) String target,
        @Schema(enumeration = {"pending", "delivered", "failed"}) String state, int attempts,
        @Schema(description = "The receiver's last HTTP status") @JsonProperty("last_status") Integer lastStatus,
        @JsonProperty("last_error") String lastError,
        @Schema(description = "While pending: when it is tried next") @JsonProperty("next_attempt_at")
        Instant nextAttemptAt,
        @Schema(description = "With page_events=true: the page whose event it is; absent for the completion event")
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer page) {

    /** The views of a job's deliveries; null (omitted) when it owes none. */
    static List<DeliveryView> of(List<Delivery> deliveries) {
        return deliveries.isEmpty() ? null : deliveries.stream().map(DeliveryView::of).toList();
    }

    private static DeliveryView of(Delivery d) {
        return new DeliveryView(d.target().name().toLowerCase(Locale.ROOT), d.state().name().toLowerCase(Locale.ROOT),
                d.attempts(), d.lastStatus(), d.lastError(), d.nextAttemptAt(), d.page() == null ? null : d.page().page());
    }
}
