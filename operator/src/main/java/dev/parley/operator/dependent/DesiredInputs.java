package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.support.EventRecorder;
import dev.parley.operator.support.OperatorSettings;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the dependents need beyond the ChatService itself, gathered once per reconciliation by
 * the reconciler and handed to them through the workflow's context.
 *
 * @param settings the operator's defaults (images)
 * @param adminToken the admin token Secret as found
 * @param events where dependents record what they created or changed
 */
public record DesiredInputs(OperatorSettings settings, AdminToken adminToken, EventRecorder events) {

    public void putInto(Context<ChatService> context) {
        context.managedWorkflowAndDependentResourceContext().put(DesiredInputs.class, this);
    }

    public static DesiredInputs from(Context<ChatService> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(DesiredInputs.class, DesiredInputs.class);
    }
}
