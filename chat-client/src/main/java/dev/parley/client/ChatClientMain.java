package dev.parley.client;

import dev.parley.client.command.ChatCommand;
import dev.parley.client.command.ClientEnvironment;

/** Entry point of {@code parley-chat}: runs the command and exits with its code. */
public final class ChatClientMain {
    private ChatClientMain() {
    }

    public static void main(String[] args) {
        System.exit(ChatCommand.commandLine(ClientEnvironment.system()).execute(args));
    }
}
