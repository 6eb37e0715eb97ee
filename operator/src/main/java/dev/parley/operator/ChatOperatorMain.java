package dev.parley.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code java -jar chat-operator.jar [options]}: in a pod with its ServiceAccount, or on a
 * laptop against {@code KUBECONFIG}. Runs until SIGTERM.
 */
public final class ChatOperatorMain {
    private static final Logger log = LoggerFactory.getLogger(ChatOperatorMain.class);

    private ChatOperatorMain() {
    }

    public static void main(String[] args) {
        OperatorCommand command = new OperatorCommand();
        int code = new CommandLine(command).execute(args);
        if (code != 0 || command.config() == null) {
            System.exit(code);
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        ChatOperator operator = new ChatOperator(command.config(), client);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping");
            operator.close();
            client.close();
        }, "shutdown"));
        try {
            operator.start();
        } catch (Exception e) {
            log.error("Could not start: {}", e.getMessage());
            System.exit(1);
        }
    }
}
