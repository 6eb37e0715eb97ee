package dev.parley.client.ui;

import java.io.IOException;
import java.util.Collection;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;

/**
 * The real terminal, through JLine: the user edits a line while incoming messages are printed
 * above it ({@link LineReader#printAbove}), so they never break into what is being typed.
 */
public final class TerminalScreen implements Screen {
    private final Terminal terminal;
    private final LineReader reader;
    private final ChatCompleter completer;
    private volatile boolean awake;
    private volatile String prompt = "";
    private volatile String status;

    private TerminalScreen(Terminal terminal, LineReader reader, ChatCompleter completer) {
        this.terminal = terminal;
        this.reader = reader;
        this.completer = completer;
    }

    /** Opens the process's own terminal. */
    public static TerminalScreen open() throws IOException {
        Terminal terminal = TerminalBuilder.builder().system(true).name("parley-chat").build();
        ChatCompleter completer = new ChatCompleter();
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("parley-chat")
                .completer(completer)
                // a sent line disappears and comes back formatted, with its time, when the server acks it
                .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
                // chat text is not shell input: '!' and '\' must reach the server as typed
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        return new TerminalScreen(terminal, reader, completer);
    }

    @Override
    public void completeNames(Supplier<? extends Collection<String>> names) {
        completer.names(names);
    }

    @Override
    public void status(String note) {
        status = note;
        if (reader.isReading() && reader instanceof LineReaderImpl impl) {
            try {
                impl.setPrompt(fullPrompt());
                reader.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException e) {
                // the line was just accepted: the next readLine shows the note
            }
        }
    }

    private String fullPrompt() {
        String note = status;
        return note == null ? prompt : "[" + note + "] " + prompt;
    }

    @Override
    public void show(AttributedString line) {
        reader.printAbove(line);
    }

    @Override
    public String readLine(AttributedString prompt, String initial) {
        if (awake) {
            return null;
        }
        try {
            this.prompt = prompt.toAnsi(terminal);
            return reader.readLine(fullPrompt(), null, (Character) null, initial);
        } catch (EndOfFileException e) {
            return null;
        } catch (UserInterruptException e) {
            if (awake) {
                // the INT that wakeUp raised, not the user
                return null;
            }
            throw new Interrupted();
        }
    }

    @Override
    public void wakeUp() {
        awake = true;
        terminal.raise(Terminal.Signal.INT);
    }

    @Override
    public void close() {
        try {
            terminal.close();
        } catch (IOException e) {
            terminal.writer().println("parley-chat: could not restore the terminal: " + e.getMessage());
        }
    }
}
