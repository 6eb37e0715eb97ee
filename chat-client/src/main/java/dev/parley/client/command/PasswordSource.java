package dev.parley.client.command;

import dev.parley.protocol.Protocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the password, never on the command line where {@code ps} would show it: the first line
 * of {@code --password-file}, else {@code CHAT_PASSWORD}, else a prompt that does not echo.
 */
final class PasswordSource {
    static final String ENV = "CHAT_PASSWORD";

    private PasswordSource() {
    }

    /** Whether {@link #resolve} asks the person for the password (neither a file nor the variable gives it). */
    static boolean asks(Path file, Map<String, String> env, ClientEnvironment.PasswordPrompt prompt) {
        return file == null && env.get(ENV) == null && prompt != null;
    }

    /**
     * The password, or an exception whose message says what to do.
     *
     * @param prompt null when nobody can be asked (standard input is not a terminal)
     */
    static String resolve(Path file, Map<String, String> env, ClientEnvironment.PasswordPrompt prompt, String user)
            throws BadPasswordException {
        String password;
        String origin;
        if (file != null) {
            password = readFile(file);
            origin = "--password-file " + file;
        } else if (env.get(ENV) != null) {
            password = env.get(ENV);
            origin = ENV;
        } else if (asks(file, env, prompt)) {
            password = ask(prompt, user);
            origin = "the prompt";
        } else {
            throw new BadPasswordException("no password: use --password-file FILE or set " + ENV
                    + " (cannot ask for one: not running in a terminal)");
        }
        if (password.isEmpty()) {
            throw new BadPasswordException("the password from " + origin + " is empty");
        }
        if (password.length() > Protocol.MAX_PASSWORD_CHARS) {
            throw new BadPasswordException("the password from " + origin + " is longer than "
                    + Protocol.MAX_PASSWORD_CHARS + " characters");
        }
        return password;
    }

    /** Asks until something is typed: Enter alone is a slip, not a password. */
    private static String ask(ClientEnvironment.PasswordPrompt prompt, String user) throws BadPasswordException {
        String text = "Password for " + user + ": ";
        while (true) {
            char[] typed = prompt.ask(text);
            if (typed == null) {
                throw new BadPasswordException("no password given (input ended at the prompt)");
            }
            if (typed.length > 0) {
                return new String(typed);
            }
            text = "The password cannot be empty. Password for " + user + ": ";
        }
    }

    private static String readFile(Path file) throws BadPasswordException {
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new BadPasswordException("--password-file " + file + " does not exist");
        } catch (CharacterCodingException e) {
            throw new BadPasswordException("--password-file " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new BadPasswordException("cannot read --password-file " + file + ": " + e.getMessage());
        }
        // the first line is the password: files written by `echo` end in a newline that is not part of it
        int end = content.indexOf('\n');
        String line = end < 0 ? content : content.substring(0, end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** The password could not be had; the message says why and what to do. */
    static final class BadPasswordException extends Exception {
        BadPasswordException(String message) {
            super(message, null, false, false);
        }
    }
}
