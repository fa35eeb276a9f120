package dev.asyncocr.api;

import dev.asyncocr.job.JobService;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

/** {@code /ocr/result/{id}}: poll a job, or cancel it. Blocking: the store may be a network hop away. */
@Path("/ocr/result/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ResultResource {

    private final JobService jobs;

    public ResultResource(JobService jobs) {
        this.jobs = jobs;
    }

    @GET
    public Response poll(@RestPath String id) {
        return jobs.find(id).map(job -> JobResponses.current(job, false)).orElseGet(() -> JobResponses.notFound(id));
    }

    /** Cancels a job that has not finished; cancelling a cancelled job again is a no-op. */
    @DELETE
    public Response cancel(@RestPath String id) {
        JobStore.Transition t = jobs.cancel(id);
        if (t.job() == null) {
            return JobResponses.notFound(id);
        }
        if (t.applied() || t.job().status() == JobStatus.CANCELLED) {
            return JobResponses.cancelled(t.job());
        }
        return JobResponses.alreadyFinished(t.job());
    }
}
