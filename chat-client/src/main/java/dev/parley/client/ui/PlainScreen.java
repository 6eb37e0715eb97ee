package dev.parley.client.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.utils.AttributedString;

/**
 * A screen without line editing: lines in from a stream, lines out to a writer, no prompt. Used
 * when the output is not a terminal, or for {@code --interactive} over pipes. Input is read by
 * its own daemon thread so that {@link #wakeUp} can end a wait that a blocking read could not.
 */
public final class PlainScreen implements Screen {
    private static final String END = new String("end of input");

    private final PrintWriter out;
    private final boolean colour;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final PrintWriter err;

    public PlainScreen(InputStream in, PrintWriter out, PrintWriter err, boolean colour) {
        this.out = out;
        this.err = err;
        this.colour = colour;
        Thread pump = new Thread(() -> pump(in), "parley-input");
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public void show(AttributedString line) {
        synchronized (out) {
            out.println(colour ? line.toAnsi() : line.toString());
            out.flush();
        }
    }

    @Override
    public String readLine(AttributedString prompt, String initial) {
        try {
            String line = lines.take();
            if (line == END) {
                lines.offer(END);
                return null;
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void wakeUp() {
        lines.offer(END);
    }

    @Override
    public void close() {
        out.flush();
    }

    private void pump(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.offer(line);
            }
        } catch (IOException e) {
            synchronized (err) {
                err.println("parley-chat: cannot read input: " + e.getMessage());
                err.flush();
            }
        } finally {
            lines.offer(END);
        }
    }
}
