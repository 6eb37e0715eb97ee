package dev.parley.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A chat service: Redis with its volume, the chat server Deployment, a Service for clients and,
 * when asked, a HorizontalPodAutoscaler. The operator fills in {@code status} and never writes
 * {@code spec}: every default lives in the CRD schema generated from these classes.
 */
@Group(ChatService.GROUP)
@Version(ChatService.VERSION)
@Kind("ChatService")
@Plural("chatservices")
@Singular("chatservice")
@ShortNames("chat")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.readyReplicas",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Endpoint", jsonPath = ".status.endpoint",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
// Object names are "<name>-server", "<name>-redis-0" and Service names: DNS labels of at most 63.
@ValidationRule(value = "self.metadata.name.size() <= 50 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must be a DNS label of at most 50 characters (lower case letters, digits and '-', starting with a letter)")
// Without a spec the schema's defaults have nowhere to go: ask for one, even if empty.
@ValidationRule(value = "has(self.spec)", message = "spec is required; an empty one (spec: {}) takes every default")
public class ChatService extends CustomResource<ChatServiceSpec, ChatServiceStatus> implements Namespaced {
    public static final String GROUP = "chat.parley.dev";
    public static final String VERSION = "v1alpha1";

    @Override
    protected ChatServiceStatus initStatus() {
        return new ChatServiceStatus();
    }
}
