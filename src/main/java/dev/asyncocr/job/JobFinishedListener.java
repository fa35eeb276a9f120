package dev.asyncocr.job;

/** Told of every job this replica makes final (finished or cancelled), on the thread that made it so. */
@FunctionalInterface
public interface JobFinishedListener {

    /** Must return quickly: it runs on a worker or request thread. */
    void finished(OcrJob job);
}
