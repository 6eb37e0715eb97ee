package dev.parley.server.pipeline;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open chat connections, in all and per client address, and admits a new one only under
 * both caps. Every admitted connection must be released exactly once, when it closes.
 */
public final class ConnectionAdmission {
    /** Why a connection was turned away, in words for the client and the log; null when admitted. */
    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    /** @param maxPerAddress 0 for no per-address cap */
    public ConnectionAdmission(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /** Admits a connection from {@code address}, or returns why not. */
    public String admit(InetAddress address) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return "the server is full (" + maxConnections + " connections); try again later";
        }
        if (maxPerAddress > 0) {
            AtomicInteger n = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
            if (n.incrementAndGet() > maxPerAddress) {
                release(address);
                return "too many connections from " + address.getHostAddress() + " (" + maxPerAddress + ")";
            }
        }
        return null;
    }

    /** A connection admitted from {@code address} closed. */
    public void release(InetAddress address) {
        open.decrementAndGet();
        if (maxPerAddress > 0) {
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    public int open() {
        return open.get();
    }
}
