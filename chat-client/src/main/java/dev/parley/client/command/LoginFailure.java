package dev.parley.client.command;

import dev.parley.client.net.LoginRefusedException;
import dev.parley.client.net.NotParleyException;
import dev.parley.client.net.UnreachableException;
import java.io.IOException;
import java.io.PrintWriter;

/** Turns a failed first login into one line on standard error and the exit code that tells its kind. */
final class LoginFailure {
    private LoginFailure() {
    }

    /** Reports {@code e}, as thrown by a mode's first login, and returns the exit code to end with. */
    static int report(Exception e, PrintWriter err) {
        if (e instanceof LoginRefusedException) {
            err.println("parley-chat: login refused: " + e.getMessage());
            return ExitCode.LOGIN_REFUSED;
        }
        err.println("parley-chat: " + e.getMessage());
        // both are IOExceptions: test them before the general case
        return e instanceof UnreachableException || e instanceof NotParleyException ? ExitCode.UNREACHABLE
                : ExitCode.FAILED;
    }
}
