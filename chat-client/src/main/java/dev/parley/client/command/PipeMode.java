package dev.parley.client.command;

import dev.parley.client.chat.Outgoing;
import dev.parley.protocol.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Lines on a pipe: each non-blank line is one message to RECIPIENT (or everyone), sent in order,
 * each after the previous one's ack. Problems go to standard error; the exit code is 0 only if
 * every line was stored.
 */
final class PipeMode {
    private final Target target;
    private final InputStream in;
    private final Duration timeout;
    private final PrintWriter err;

    PipeMode(Target target, InputStream in, Duration timeout, PrintWriter err) {
        this.target = target;
        this.in = in;
        this.timeout = timeout;
        this.err = err;
    }

    int run() {
        String to = target.recipient() == null ? Protocol.BROADCAST : target.recipient();
        try (AckingSender sender = new AckingSender(target, err);
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            int opened = SendMode.open(sender, err);
            if (opened != ExitCode.OK) {
                return opened;
            }
            int lineNumber = 0;
            int failed = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                int length = Protocol.textLength(line);
                if (length > Protocol.MAX_TEXT_CHARS) {
                    err.println("parley-chat: line " + lineNumber + " not sent: " + length + " characters, at most "
                            + Protocol.MAX_TEXT_CHARS);
                    failed++;
                    continue;
                }
                AckingSender.Result result = sender.send(to, line, timeout);
                if (result instanceof AckingSender.Acked) {
                    continue;
                }
                err.println("parley-chat: line " + lineNumber + ": "
                        + SendMode.describe(result, new Outgoing(null, to, line)));
                failed++;
                if (result instanceof AckingSender.Lost || result instanceof AckingSender.TimedOut) {
                    err.println("parley-chat: stopped at line " + lineNumber + "; the lines after it were not sent");
                    return ExitCode.FAILED;
                }
            }
            return failed == 0 ? ExitCode.OK : ExitCode.FAILED;
        } catch (IOException e) {
            err.println("parley-chat: cannot read standard input: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }
}
