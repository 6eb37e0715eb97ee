package dev.parley.server;

import dev.parley.server.config.ServerCommand;
import dev.parley.server.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Entry point: parse options, start the server, and drain it on SIGTERM or SIGINT. */
public final class ChatServerMain {
    private ChatServerMain() {
    }

    public static void main(String[] args) {
        ServerCommand command = new ServerCommand();
        CommandLine cli = ServerCommand.commandLine(command);
        int code = cli.execute(args);
        ServerConfig config = command.config();
        if (code != 0 || config == null) {
            System.exit(code);
        }
        Logger log = LoggerFactory.getLogger(ChatServerMain.class);
        ChatServer server = new ChatServer(config);
        try {
            server.start();
        } catch (Exception e) {
            log.error("Could not start: {}", e.getMessage());
            server.shutdown();
            System.exit(1);
        }
        // A signal ends the JVM with 128+signal after the hooks; a clean drain is a success, so
        // the hook halts with 0 once the server has stopped.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).stop();
            Runtime.getRuntime().halt(0);
        }, "parley-shutdown"));
    }
}
