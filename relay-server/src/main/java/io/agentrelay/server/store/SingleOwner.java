package io.agentrelay.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One relay per SQLite file. Two relays on one file both ran, and each one's live streams missed
 * the other's writes for good (its log tailer follows only its own commits). The owner holds an
 * exclusive lock on {@code <file>.lock} for as long as its store is open, with its process id
 * written in it; the operating system releases the lock when the process dies, {@code kill -9}
 * included, so a crash never leaves a stale lock behind.
 */
final class SingleOwner implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private SingleOwner(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the store at {@code database}, or throws naming the process that has it. */
    static SingleOwner take(Path database) throws IOException {
        Path lockFile = database.resolveSibling(database.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new StoreException("another relay" + (holder.isEmpty() ? "" : " (process " + holder + ")")
                    + " is using the SQLite store " + database.toAbsolutePath() + ". Run one relay per SQLite file; "
                    + "for several relays on one store, give each the same PostgreSQL database "
                    + "(AGENT_RELAY_DATABASE_URL, docs/deployment.md)", null);
        }
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
        channel.force(false);
        return new SingleOwner(channel, lock);
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            int read = channel.read(buffer, 0);
            return read <= 0 ? "" : new String(buffer.array(), 0, read, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is closing the store; the lock goes with the channel or the process
        }
    }
}
