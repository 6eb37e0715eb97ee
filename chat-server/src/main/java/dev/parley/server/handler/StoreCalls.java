package dev.parley.server.handler;

import dev.parley.server.pipeline.InboundGate;
import dev.parley.server.pipeline.InboundGate.Wait;
import dev.parley.server.store.StoreHealth;
import io.netty.channel.Channel;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Blocking work for one connection (Redis calls, password hashes): it runs on an executor and
 * its result comes back on the connection's event loop, so the protocol handler keeps its state
 * without locks and no event loop ever waits for Redis. A failure, or an executor with no room,
 * becomes a reason in words for the client.
 */
final class StoreCalls {
    private static final Logger log = LoggerFactory.getLogger(StoreCalls.class);

    private final Channel channel;
    private final InboundGate gate;
    private final StoreHealth health;

    StoreCalls(Channel channel, InboundGate gate, StoreHealth health) {
        this.channel = channel;
        this.gate = gate;
        this.health = health;
    }

    /**
     * An answer to a request, one at a time per connection: later requests wait in the gate
     * until this one is handled (or has failed), so a client cannot have the server prepare more
     * answers than it reads.
     *
     * @param abandoned gets the result instead of {@code then} when the connection closed meanwhile
     */
    <T> void answer(ExecutorService executor, Callable<T> work, Consumer<T> then, Consumer<T> abandoned,
                    Consumer<String> failed) {
        gate.shut(Wait.ANSWER);
        run(executor, work, abandoned, result -> {
            then.accept(result);
            gate.open(Wait.ANSWER);
        }, reason -> {
            failed.accept(reason);
            gate.open(Wait.ANSWER);
        });
    }

    /** {@link #answer(ExecutorService, Callable, Consumer, Consumer, Consumer)} with nothing to undo. */
    <T> void answer(ExecutorService executor, Callable<T> work, Consumer<T> then, Consumer<String> failed) {
        answer(executor, work, then, result -> { }, failed);
    }

    /**
     * Runs {@code work} on {@code executor}; {@code then}, {@code abandoned} (the connection
     * closed meanwhile) or {@code failed} runs on the event loop afterwards.
     */
    <T> void run(ExecutorService executor, Callable<T> work, Consumer<T> abandoned, Consumer<T> then,
                 Consumer<String> failed) {
        try {
            executor.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (JedisException e) {
                    health.reportFailure(e);
                    log.debug("Store call failed", e);
                    channel.eventLoop().execute(() -> failed.accept("message store unreachable"));
                    return;
                } catch (Exception e) {
                    log.error("Unexpected failure serving {}", channel.remoteAddress(), e);
                    channel.eventLoop().execute(() -> failed.accept("internal error"));
                    return;
                }
                channel.eventLoop().execute(() -> {
                    if (channel.isActive()) {
                        then.accept(result);
                    } else {
                        abandoned.accept(result);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            failed.accept("server busy");
        }
    }
}
