package io.agentrelay.server.events;

/**
 * How far this node's bus has got through the event log: every event with an id at or below
 * {@link #position()} has been handed to the bus, in id order, and none above it. A stream that
 * joins its lane and then reads the position replays up to it from storage and takes the rest
 * live, with no gap and no duplicate.
 */
@FunctionalInterface
public interface LogHead {
    long position();
}
