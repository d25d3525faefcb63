package io.agentrelay.server.store;

/**
 * What a store's writer did since the store opened, for {@code /metrics}.
 *
 * @param groups        transactions committed (each holds one or more writes)
 * @param writes        writes those transactions held (the callers' units of work, failed ones included)
 * @param failedGroups  transactions that could not commit (every write in them refused)
 * @param commitNanos   time spent in transactions, committed or not, from their start to their end
 */
public record WriterCounts(long groups, long writes, long failedGroups, long commitNanos) {
    public static final WriterCounts NONE = new WriterCounts(0, 0, 0, 0);
}
