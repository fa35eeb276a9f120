package dev.asyncocr;

import dev.asyncocr.config.DataConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code ocr.data-dir}, held by this process alone: the file store and the embedded broker's journal
 * live in it, and two processes writing them at once would corrupt both. The hold is an OS lock on the
 * file {@code lock}, which the OS releases when the process ends however it ends (a SIGKILL included),
 * so a crash never leaves a stale lock behind.
 */
@Singleton
public class DataFolder {

    private static final String LOCK_FILE = "lock";

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    @Inject
    DataFolder(DataConfig config) {
        this(Path.of(config.dataDir()));
    }

    /**
     * Creates the folder when absent and takes it.
     *
     * @throws IllegalStateException the folder cannot be created or written, or another process holds it
     */
    public DataFolder(Path folder) {
        this.path = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
            channel = FileChannel.open(path.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalStateException("The data folder " + path + " (ocr.data-dir) cannot be created or "
                    + "written: " + e, e);
        }
        lock = tryLock();
        if (lock == null) {
            String holder = holder();
            close(channel);
            throw new IllegalStateException("The data folder " + path + " (ocr.data-dir) is in use by another "
                    + "async-ocr process" + holder + "; each process needs a data folder of its own");
        }
        try {
            channel.truncate(0).write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            release();
            throw new IllegalStateException("The data folder " + path + " (ocr.data-dir) is not writable: " + e, e);
        }
        Log.infof("Data folder: %s", path);
    }

    /** A file or folder in it. */
    public Path resolve(String name) {
        return path.resolve(name);
    }

    @PreDestroy
    public void release() {
        try {
            lock.release();
        } catch (IOException e) {
            Log.debugf(e, "Cannot release the lock on %s", path);
        }
        close(channel);
    }

    private FileLock tryLock() {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very process (a second service in one JVM)
        } catch (IOException e) {
            close(channel);
            throw new IllegalStateException("Cannot lock the data folder " + path + " (ocr.data-dir): " + e, e);
        }
    }

    /** ", process <pid>" as the holder wrote it, or nothing when it cannot be read. */
    private String holder() {
        try {
            String pid = Files.readString(path.resolve(LOCK_FILE), StandardCharsets.US_ASCII).strip();
            return pid.isEmpty() ? "" : " (process " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            Log.debugf(e, "Cannot close the lock file");
        }
    }
}
