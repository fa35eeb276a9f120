package dev.asyncocr.job;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Fair share at the workers ({@code ocr.tenant.fair-share}): the tenants whose jobs wait in queues of their own, one
 * per lane, which a freed worker takes from in turn, so that one tenant's backlog does not hold back another's jobs.
 * Every other tenant's jobs wait in the lanes' shared queues, which take one turn together.
 *
 * @param ownQueues the tenants with queues of their own: the named ones, or none with fair share off
 */
public record FairShare(Set<String> ownQueues) {

    public static final FairShare NONE = new FairShare(Set.of());

    public FairShare {
        ownQueues = Set.copyOf(ownQueues);
    }

    /** The share a tenant's jobs wait in: the tenant, where it has queues of its own; else null, the shared one. */
    public String shareOf(String tenant) {
        return tenant != null && ownQueues.contains(tenant) ? tenant : null;
    }

    /**
     * A task's position in its lane when the workers take the lane's shares in turn: its own share's tasks before
     * it, and as many of each other share's (up to all it has in the lane) as turns go by until it is its own, counting
     * its share's turn first in each round (the order of turns is each replica's own: this is the soonest).
     *
     * @param higher the tasks of higher lanes, all of which start first
     * @param share  the task's share (null: the shared one)
     * @param lane   for each share with tasks in the lane: how many come before the task (by place) and how many in all
     */
    public static long position(long higher, String share, Map<String, Waiting> lane) {
        long turn = lane.entrySet().stream().filter(e -> Objects.equals(e.getKey(), share)).findFirst()
                .map(e -> e.getValue().before()).orElse(0L) + 1;
        long others = lane.entrySet().stream().filter(e -> !Objects.equals(e.getKey(), share))
                .mapToLong(e -> Math.min(e.getValue().inLane(), turn - 1)).sum();
        return higher + turn + others;
    }

    /**
     * A share's tasks not yet started in one lane.
     *
     * @param before those before a given task's place
     * @param inLane all of them
     */
    public record Waiting(long before, long inLane) {
    }
}
