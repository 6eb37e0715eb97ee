package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.support.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Common ground of the objects a ChatService owns: they are applied with server-side apply,
 * carry an owner reference (so deleting the ChatService deletes them), are found by name without
 * computing the desired object, and every create or change is logged and recorded as an Event.
 */
public abstract class ChatServiceDependentResource<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, ChatService> {

    protected ChatServiceDependentResource(Class<R> type) {
        super(type);
    }

    /** The object's name for this ChatService (from {@code Names}). */
    protected abstract String name(ChatService cr);

    /** Name, namespace and labels of this dependent's object for {@code cr}, of the given component. */
    protected ObjectMeta metadata(ChatService cr, String component) {
        return new ObjectMetaBuilder()
                .withName(name(cr))
                .withNamespace(cr.getMetadata().getNamespace())
                .withLabels(Labels.of(cr, component))
                .build();
    }

    /** The object as the spec wants it, from the ChatService and the reconciliation's inputs. */
    protected abstract R desired(ChatService cr, DesiredInputs inputs);

    @Override
    protected R desired(ChatService cr, Context<ChatService> context) {
        return desired(cr, DesiredInputs.from(context));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(ChatService cr, Context<ChatService> context) {
        return new ResourceID(name(cr), cr.getMetadata().getNamespace());
    }

    @Override
    protected void onCreated(ChatService cr, R created, Context<ChatService> context) {
        super.onCreated(cr, created, context);
        DesiredInputs.from(context).events().normal(cr, "Created", "Created " + describe(created));
    }

    @Override
    protected void onUpdated(ChatService cr, R updated, R actual, Context<ChatService> context) {
        super.onUpdated(cr, updated, actual, context);
        DesiredInputs.from(context).events().normal(cr, "Updated", "Updated " + describe(updated)
                + " to match the spec");
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " " + object.getMetadata().getName();
    }
}
