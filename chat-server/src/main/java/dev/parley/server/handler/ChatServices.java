package dev.parley.server.handler;

import dev.parley.server.auth.Authenticator;
import dev.parley.server.auth.LoginRefusals;
import dev.parley.server.auth.ResumeTokens;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.Presence;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.ChatStore;
import dev.parley.server.store.MessageWriter;
import dev.parley.server.store.StoreHealth;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What the protocol handlers share: configuration, the store and the two executors where
 * blocking work runs ({@code auth} for the slow password hash, {@code queries} for Redis reads),
 * so no Redis call ever runs on an event loop.
 */
public record ChatServices(
        ServerConfig config,
        ServerMetrics metrics,
        SessionRegistry registry,
        ChatStore store,
        Authenticator authenticator,
        LoginRefusals loginRefusals,
        ResumeTokens tokens,
        MessageWriter writer,
        StoreHealth health,
        Presence presence,
        ExecutorService auth,
        ExecutorService queries,
        BooleanSupplier draining) {
}
