package dev.asyncocr.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.asyncocr.job.FairShare;
import dev.asyncocr.job.JobCursor;
import dev.asyncocr.job.JobStatus;
import dev.asyncocr.job.JobStore;
import dev.asyncocr.job.Schedule;
import dev.asyncocr.job.OcrJob;
import dev.asyncocr.job.ServiceRate;
import dev.asyncocr.job.PagePart;
import dev.asyncocr.job.PageTask;
import dev.asyncocr.job.Progress;
import dev.asyncocr.job.StoreUnavailableException;
import dev.asyncocr.job.TenantQuotaExceededException;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The single-process store that keeps its jobs across restarts: one SQLite database file. SQLite because
 * it is the most widely deployed embedded database and its crash safety is tested as few programs' are.
 * Fsync policy: a write-ahead log with {@code synchronous=NORMAL}. A call that changed something returns
 * once its transaction is in the log, in the OS's hands: a killed or crashed process loses nothing. The
 * log is synced to disk at each checkpoint (about every 4 MB written) and at close, so a power cut or a
 * kernel crash may lose the last moments, never the file's consistency; syncing every transaction
 * ({@code FULL}) cost 3 fsyncs per job, several ms on the machines measured. A write that cannot be made
 * (a full disk, a folder turned read-only) fails with {@link StoreUnavailableException}, so the client
 * learns that nothing was kept.
 * <p>
 * One connection, every call under one lock and each call one transaction: atomic with respect to every
 * other call, which is all replicas there are, as the data folder admits one process. Expired rows are
 * invisible at once, deleted once a minute, and the pages they held go back to the file system
 * (incremental auto-vacuum), so the file stays the size of the live jobs.
 */
public class FileJobStore implements JobStore, AutoCloseable {

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    /** Past this, the write-ahead log is cut back after a checkpoint instead of staying at its largest. */
    private static final long WAL_LIMIT_BYTES = 64L << 20;
    private static final String QUEUED = JobStatus.QUEUED.name();
    private static final String PROCESSING = JobStatus.PROCESSING.name();
    private static final String SUCCEEDED = JobStatus.SUCCEEDED.name();
    private static final String FAILED = JobStatus.FAILED.name();

    private final Connection db;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Statement transactions;
    private final JobJson json;
    private final Duration ttl;
    private final Clock clock;
    private Instant nextSweep;

    /**
     * Opens the database at {@code file}, creating it when absent.
     *
     * @throws StoreUnavailableException it cannot be opened or written
     */
    public FileJobStore(Path file, ObjectMapper json, Duration ttl, Clock clock) {
        this.json = new JobJson(json);
        this.ttl = ttl;
        this.clock = clock;
        this.nextSweep = clock.instant();
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        try {
            db = source.getConnection();
            try (Statement setup = db.createStatement()) {
                setup.execute("PRAGMA auto_vacuum = INCREMENTAL"); // takes effect on a new file only
                setup.execute("PRAGMA journal_mode = WAL");
                setup.execute("PRAGMA synchronous = NORMAL");
                setup.execute("PRAGMA journal_size_limit = " + WAL_LIMIT_BYTES);
                setup.execute("""
                        CREATE TABLE IF NOT EXISTS jobs (
                          id TEXT PRIMARY KEY,
                          status TEXT NOT NULL,
                          idempotency_key TEXT,
                          expires_at INTEGER NOT NULL,
                          delivery_due INTEGER,
                          record TEXT NOT NULL)""");
                // apart from the records, so that changing a record does not rewrite its image
                setup.execute("CREATE TABLE IF NOT EXISTS images (id TEXT PRIMARY KEY, image BLOB NOT NULL)");
                // a document's page tasks and the parts their pages read; they live and expire with their job
                setup.execute("""
                        CREATE TABLE IF NOT EXISTS pages (
                          id TEXT NOT NULL,
                          page INTEGER NOT NULL,
                          status TEXT NOT NULL,
                          record TEXT NOT NULL,
                          PRIMARY KEY (id, page))""");
                setup.execute("CREATE TABLE IF NOT EXISTS parts (id TEXT NOT NULL, page INTEGER NOT NULL, "
                        + "part BLOB NOT NULL, PRIMARY KEY (id, page))");
                setup.execute("CREATE INDEX IF NOT EXISTS jobs_by_key ON jobs (idempotency_key) "
                        + "WHERE idempotency_key IS NOT NULL");
                setup.execute("CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status)");
                setup.execute("CREATE INDEX IF NOT EXISTS jobs_by_due ON jobs (delivery_due) "
                        + "WHERE delivery_due IS NOT NULL");
                setup.execute("CREATE INDEX IF NOT EXISTS jobs_by_expiry ON jobs (expires_at)");
                addQueueOrder(setup);
                addTenancy(setup);
                // one row: the last place taken in the enqueue order, and the measured service rate
                setup.execute("CREATE TABLE IF NOT EXISTS scheduling (id INTEGER PRIMARY KEY CHECK (id = 1),"
                        + " sequence INTEGER NOT NULL, rate TEXT)");
                setup.execute("INSERT OR IGNORE INTO scheduling (id, sequence) VALUES (1, 0)");
            }
            transactions = db.createStatement();
        } catch (SQLException e) {
            throw new StoreUnavailableException("Cannot open the job store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OcrJob create(OcrJob job, byte[] image, OptionalLong maxActive) {
        return create(job, maxActive, () -> update("INSERT INTO images (id, image) VALUES (?, ?)", job.id(), image));
    }

    @Override
    public OcrJob createDocument(OcrJob job, List<PagePart> parts, OptionalLong maxActive) {
        return create(job, maxActive, () -> {
            for (int i = 0; i < parts.size(); i++) {
                PagePart part = parts.get(i);
                update("INSERT INTO pages (id, page, status, record, seq) VALUES (?, ?, ?, ?, ?)", job.id(),
                        part.page(), QUEUED, json.encode(PageTask.queued(part.page())), job.schedule().order() + i);
                update("INSERT INTO parts (id, page, part) VALUES (?, ?, ?)", job.id(), part.page(), part.bytes());
            }
            return parts.size();
        });
    }

    /**
     * Stores {@code job} and, in the same transaction, what {@code content} writes, unless its key is held or its
     * tenant's quota has no room for it.
     */
    private OcrJob create(OcrJob job, OptionalLong maxActive, Work<?> content) {
        return inTransaction(() -> {
            sweepWhenDue();
            if (job.idempotencyKey() != null) {
                Optional<OcrJob> holder = one("SELECT record FROM jobs WHERE idempotency_key = ? AND expires_at > ?",
                        rs -> json.decode(rs.getString(1)), job.idempotencyKey(), now());
                if (holder.isPresent()) {
                    return holder.get();
                }
            }
            if (maxActive.isPresent()) {
                long active = activeWorkOf(job.tenant());
                if (active + job.workUnits() > maxActive.getAsLong()) {
                    throw new TenantQuotaExceededException(maxActive.getAsLong(), active);
                }
            }
            update("INSERT INTO jobs (id, status, idempotency_key, expires_at, delivery_due, record, seq, tenant, "
                            + "created, units, share) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", job.id(),
                    job.status().name(), job.idempotencyKey(), now() + ttl.toMillis(), dueMillis(job), json.encode(job),
                    job.schedule().order(), job.tenant(), job.submittedAt().toEpochMilli(), job.workUnits(),
                    job.schedule().share());
            content.run();
            return job;
        });
    }

    @Override
    public Optional<OcrJob> get(String id) {
        return inTransaction(() -> one("SELECT record FROM jobs WHERE id = ? AND expires_at > ?",
                rs -> json.decode(rs.getString(1)), id, now()));
    }

    @Override
    public Optional<String> idempotentJobId(String key) {
        return inTransaction(() -> one("SELECT id FROM jobs WHERE idempotency_key = ? AND expires_at > ?",
                rs -> rs.getString(1), key, now()));
    }

    @Override
    public Optional<byte[]> image(String id) {
        return inTransaction(() -> one("SELECT image FROM images JOIN jobs USING (id) WHERE id = ? AND expires_at > ?",
                rs -> rs.getBytes(1), id, now()));
    }

    @Override
    public Transition transition(String id, Predicate<OcrJob> applies, UnaryOperator<OcrJob> change) {
        return inTransaction(() -> change(id, applies, change));
    }

    @Override
    public Start start(String id, Set<JobStatus> from, UnaryOperator<OcrJob> change) {
        return inTransaction(() -> {
            Transition transition = change(id, job -> from.contains(job.status()), change);
            return new Start(transition, transition.applied() ? one("SELECT image FROM images WHERE id = ?",
                    rs -> rs.getBytes(1), id) : Optional.empty());
        });
    }

    private Transition change(String id, Predicate<OcrJob> applies, UnaryOperator<OcrJob> change) throws SQLException {
        Optional<OcrJob> stored = one("SELECT record FROM jobs WHERE id = ? AND expires_at > ?",
                rs -> json.decode(rs.getString(1)), id, now());
        if (stored.isEmpty()) {
            return Transition.MISSING;
        }
        OcrJob current = stored.get();
        if (!applies.test(current)) {
            return new Transition(current, false);
        }
        OcrJob changed = change.apply(current);
        if (changed.status().isFinal() && !current.status().isFinal()) { // a result is kept for the TTL from now
            update("UPDATE jobs SET status = ?, expires_at = ?, delivery_due = ?, record = ? WHERE id = ?",
                    changed.status().name(), now() + ttl.toMillis(), dueMillis(changed), json.encode(changed), id);
            if (!JobStore.keepsImage(changed)) {
                update("DELETE FROM images WHERE id = ?", id);
                update("DELETE FROM parts WHERE id = ?", id);
            }
        } else {
            update("UPDATE jobs SET status = ?, delivery_due = ?, record = ? WHERE id = ?",
                    changed.status().name(), dueMillis(changed), json.encode(changed), id);
        }
        return new Transition(changed, true);
    }

    @Override
    public Optional<Pages> pages(String id) {
        return inTransaction(() -> {
            Optional<OcrJob> job = liveJob(id).filter(OcrJob::isDocument);
            if (job.isEmpty()) {
                return Optional.empty();
            }
            List<PageTask> pages = new ArrayList<>();
            try (ResultSet rows = prepare("SELECT record FROM pages WHERE id = ? ORDER BY page", id).executeQuery()) {
                while (rows.next()) {
                    pages.add(json.decode(rows.getString(1), PageTask.class));
                }
            }
            return Optional.of(new Pages(pages, progress(job.get())));
        });
    }

    @Override
    public Optional<PageTask> page(String id, int page) {
        return inTransaction(() -> one("SELECT pages.record FROM pages JOIN jobs USING (id) "
                        + "WHERE id = ? AND page = ? AND expires_at > ?",
                rs -> json.decode(rs.getString(1), PageTask.class), id, page, now()));
    }

    @Override
    public Optional<Progress> progress(String id) {
        return inTransaction(() -> {
            Optional<OcrJob> job = liveJob(id).filter(OcrJob::isDocument);
            return job.isEmpty() ? Optional.empty() : Optional.of(progress(job.get()));
        });
    }

    @Override
    public Optional<byte[]> part(String id, int page) {
        return inTransaction(() -> one("SELECT part FROM parts JOIN jobs USING (id) "
                + "WHERE id = ? AND page = ? AND expires_at > ?", rs -> rs.getBytes(1), id, page, now()));
    }

    @Override
    public PageTransition transitionPage(String id, int page, BiPredicate<OcrJob, PageTask> applies,
                                         UnaryOperator<PageTask> change) {
        return inTransaction(() -> {
            Optional<OcrJob> job = liveJob(id);
            if (job.isEmpty()) {
                return PageTransition.MISSING;
            }
            PageTask current = one("SELECT record FROM pages WHERE id = ? AND page = ?",
                    rs -> json.decode(rs.getString(1), PageTask.class), id, page).orElse(null);
            if (current == null || current.status().isFinal() || !applies.test(job.get(), current)) {
                return new PageTransition(job.get(), current, false, progress(job.get()));
            }
            PageTask changed = change.apply(current);
            update("UPDATE pages SET status = ?, record = ? WHERE id = ? AND page = ?", changed.status().name(),
                    json.encode(changed), id, page);
            return new PageTransition(job.get(), changed, true, progress(job.get()));
        });
    }

    private Optional<OcrJob> liveJob(String id) throws SQLException {
        return one("SELECT record FROM jobs WHERE id = ? AND expires_at > ?", rs -> json.decode(rs.getString(1)), id,
                now());
    }

    private Progress progress(OcrJob job) throws SQLException {
        return one("SELECT count(*) FILTER (WHERE status = ?), count(*) FILTER (WHERE status = ?) FROM pages "
                        + "WHERE id = ?", rs -> Progress.of(job.pagesTotal(), rs.getInt(1), rs.getInt(2)),
                SUCCEEDED, FAILED, job.id()).orElseThrow();
    }

    @Override
    public void delete(String id) {
        inTransaction(() -> deleteRows(id));
    }

    @Override
    public Transition purge(String id, Predicate<OcrJob> applies) {
        return inTransaction(() -> {
            Optional<OcrJob> job = liveJob(id);
            if (job.isEmpty()) {
                return Transition.MISSING;
            }
            boolean applied = applies.test(job.get());
            if (applied) {
                deleteRows(id); // the idempotency key and the delivery due are columns of the job's row
            }
            return new Transition(job.get(), applied);
        });
    }

    private int deleteRows(String id) throws SQLException {
        return update("DELETE FROM images WHERE id = ?", id) + update("DELETE FROM parts WHERE id = ?", id)
                + update("DELETE FROM pages WHERE id = ?", id) + update("DELETE FROM jobs WHERE id = ?", id);
    }

    @Override
    public long activeWork(String tenant) {
        return inTransaction(() -> activeWorkOf(tenant));
    }

    private long activeWorkOf(String tenant) throws SQLException {
        return one("SELECT coalesce(sum(units), 0) FROM jobs WHERE tenant IS ? AND status IN (?, ?) AND expires_at > ?",
                rs -> rs.getLong(1), tenant, QUEUED, PROCESSING, now()).orElse(0L);
    }

    @Override
    public List<OcrJob> list(String tenant, JobStatus status, JobCursor after, int limit) {
        JobCursor from = after == null ? new JobCursor(Long.MAX_VALUE, "") : after;
        String name = status == null ? null : status.name();
        return inTransaction(() -> {
            try (ResultSet rows = prepare("SELECT record FROM jobs WHERE tenant IS ? AND expires_at > ?"
                            + " AND (? IS NULL OR status = ?) AND (created < ? OR (created = ? AND id < ?))"
                            + " ORDER BY created DESC, id DESC LIMIT ?", tenant, now(), name, name,
                    from.createdMillis(), from.createdMillis(), from.id(), limit).executeQuery()) {
                List<OcrJob> jobs = new ArrayList<>();
                while (rows.next()) {
                    jobs.add(json.decode(rows.getString(1)));
                }
                return jobs;
            }
        });
    }

    @Override
    public long queuedCount() {
        return inTransaction(() -> one("SELECT count(*) FROM pending_tasks WHERE expires_at > ?", rs -> rs.getLong(1),
                now()).orElse(0L));
    }

    @Override
    public List<String> dueDeliveries(Instant now, int limit) {
        return inTransaction(() -> {
            try (ResultSet rows = prepare("SELECT id FROM jobs WHERE delivery_due <= ? AND expires_at > ? "
                    + "ORDER BY delivery_due LIMIT ?", now.toEpochMilli(), now(), limit).executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        });
    }

    @Override
    public long reserve(int slots) {
        return inTransaction(() -> {
            update("UPDATE scheduling SET sequence = sequence + ?", slots);
            return one("SELECT sequence FROM scheduling", rs -> rs.getLong(1)).orElseThrow() - slots + 1;
        });
    }

    @Override
    public Standing standing(OcrJob job) {
        return inTransaction(() -> {
            long[] mine = one("SELECT min(seq), count(*) FROM pending_tasks WHERE id = ? AND expires_at > ?",
                    rs -> new long[]{rs.getLong(1), rs.getLong(2)}, job.id(), now()).orElseThrow();
            if (mine[1] == 0) {
                return new Standing(0, 0, rate());
            }
            Schedule schedule = job.schedule();
            long higher = one("SELECT count(*) FROM pending_tasks WHERE seq < ? AND expires_at > ?",
                    rs -> rs.getLong(1), schedule.laneStart(), now()).orElseThrow();
            Map<String, FairShare.Waiting> lane = new HashMap<>(); // by share, null the shared one
            try (ResultSet rows = prepare("SELECT share, sum(seq < ?), count(*) FROM pending_tasks WHERE seq >= ? "
                    + "AND seq < ? AND expires_at > ? GROUP BY share", mine[0], schedule.laneStart(), schedule.laneEnd(),
                    now()).executeQuery()) {
                while (rows.next()) {
                    lane.put(rows.getString(1), new FairShare.Waiting(rows.getLong(2), rows.getLong(3)));
                }
            }
            return new Standing(FairShare.position(higher, schedule.share(), lane), mine[1], rate());
        });
    }

    @Override
    public void recordCompletion(Instant at, Duration ran) {
        inTransaction(() -> update("UPDATE scheduling SET rate = ?", ServiceRate.next(rate(), at, ran).encode()));
    }

    @Override
    public ServiceRate serviceRate() {
        return inTransaction(this::rate);
    }

    private ServiceRate rate() throws SQLException {
        return ServiceRate.decode(one("SELECT rate FROM scheduling WHERE rate IS NOT NULL", rs -> rs.getString(1)).orElse(null));
    }

    /**
     * The columns and indexes that order the queue ({@code seq}: a job's place, lane first, {@link
     * dev.asyncocr.job.Schedule#order}; a page's, its job's plus its index among the pages), added to a database made
     * before them (its jobs all at place 0, its pages at their job's), and {@code pending_tasks}, the tasks not yet
     * started with their places: queued images' jobs, and the queued pages of documents not final.
     */
    private static void addQueueOrder(Statement setup) throws SQLException {
        if (!hasColumn(setup, "jobs", "seq")) {
            setup.execute("ALTER TABLE jobs ADD COLUMN seq INTEGER NOT NULL DEFAULT 0");
        }
        if (!hasColumn(setup, "pages", "seq")) {
            setup.execute("ALTER TABLE pages ADD COLUMN seq INTEGER NOT NULL DEFAULT 0");
            setup.execute("UPDATE pages SET seq = (SELECT seq FROM jobs WHERE jobs.id = pages.id)");
        }
        setup.execute("CREATE INDEX IF NOT EXISTS jobs_by_queue_order ON jobs (status, seq)");
        setup.execute("CREATE INDEX IF NOT EXISTS pages_by_queue_order ON pages (status, seq)");
        if (!hasColumn(setup, "jobs", "share")) { // before fair share: every job in the shared queues
            setup.execute("ALTER TABLE jobs ADD COLUMN share TEXT");
        }
        setup.execute("CREATE TEMP VIEW IF NOT EXISTS pending_tasks AS"
                + " SELECT id, seq, expires_at, share FROM jobs WHERE status = '" + QUEUED + "'"
                + " AND NOT EXISTS (SELECT 1 FROM pages WHERE pages.id = jobs.id)"
                + " UNION ALL SELECT id, pages.seq, expires_at, share FROM pages JOIN jobs USING (id)"
                + " WHERE pages.status = '" + QUEUED + "' AND jobs.status IN ('" + QUEUED + "', '" + PROCESSING + "')");
    }

    /**
     * The columns and index that list a tenant's jobs and weigh its quota, added to a database made before them and
     * filled in from its records.
     */
    private void addTenancy(Statement setup) throws SQLException {
        if (!hasColumn(setup, "jobs", "tenant")) {
            setup.execute("ALTER TABLE jobs ADD COLUMN tenant TEXT");
            setup.execute("ALTER TABLE jobs ADD COLUMN created INTEGER NOT NULL DEFAULT 0");
            setup.execute("ALTER TABLE jobs ADD COLUMN units INTEGER NOT NULL DEFAULT 1");
            Map<String, OcrJob> existing = new HashMap<>();
            try (ResultSet rows = setup.executeQuery("SELECT id, record FROM jobs")) {
                while (rows.next()) {
                    existing.put(rows.getString(1), json.decode(rows.getString(2)));
                }
            }
            for (OcrJob job : existing.values()) {
                update("UPDATE jobs SET tenant = ?, created = ?, units = ? WHERE id = ?", job.tenant(),
                        job.submittedAt().toEpochMilli(), job.workUnits(), job.id());
            }
        }
        setup.execute("CREATE INDEX IF NOT EXISTS jobs_by_tenant ON jobs (tenant, created, id)");
    }

    private static boolean hasColumn(Statement setup, String table, String column) throws SQLException {
        try (ResultSet columns = setup.executeQuery("SELECT 1 FROM pragma_table_info('" + table + "') WHERE name = '"
                + column + "'")) {
            return columns.next();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            db.close();
        } catch (SQLException e) {
            throw new StoreUnavailableException("The job store did not close cleanly: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Deletes expired jobs and hands their pages back, at most once a minute. */
    private void sweepWhenDue() throws SQLException {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_EVERY);
        for (String contents : List.of("images", "pages", "parts")) {
            update("DELETE FROM " + contents + " WHERE id IN (SELECT id FROM jobs WHERE expires_at <= ?)",
                    now.toEpochMilli());
        }
        if (update("DELETE FROM jobs WHERE expires_at <= ?", now.toEpochMilli()) > 0) {
            try (Statement vacuum = db.createStatement()) {
                vacuum.execute("PRAGMA incremental_vacuum");
            }
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction, committed (in the write-ahead log) before it returns. The
     * transaction is begun and ended here rather than by the driver: SQLite rolls a transaction back by
     * itself on some errors (a full disk), and the driver, unaware, would then fail every later call.
     */
    private <T> T inTransaction(Work<T> work) {
        lock.lock();
        try {
            transactions.execute("BEGIN");
            T outcome = work.run();
            transactions.execute("COMMIT");
            return outcome;
        } catch (SQLException e) {
            rollback(e);
            throw new StoreUnavailableException("The file job store failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private void rollback(Exception cause) {
        try {
            transactions.execute("ROLLBACK");
        } catch (SQLException e) {
            cause.addSuppressed(e); // already rolled back by SQLite, or never begun
        }
    }

    private <T> Optional<T> one(String sql, Row<T> read, Object... parameters) throws SQLException {
        try (ResultSet rows = prepare(sql, parameters).executeQuery()) {
            return rows.next() ? Optional.of(read.read(rows)) : Optional.empty();
        }
    }

    private int update(String sql, Object... parameters) throws SQLException {
        return prepare(sql, parameters).executeUpdate();
    }

    /** The statement for {@code sql}, compiled once and kept (callers hold the lock), with {@code parameters}. */
    private PreparedStatement prepare(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = db.prepareStatement(sql);
            statements.put(sql, statement);
        }
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    private long now() {
        return clock.millis();
    }

    private static Long dueMillis(OcrJob job) {
        return job.nextDeliveryAt().map(Instant::toEpochMilli).orElse(null);
    }

}
