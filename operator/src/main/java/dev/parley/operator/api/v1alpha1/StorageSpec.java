package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Redis' PersistentVolumeClaim. Size and class are fixed once created (they live in the Redis
 * StatefulSet's claim template, which Kubernetes does not let change); keepOnDelete may change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// has(): the API server also checks rules against the schema's "{}" default, before nested defaults.
@ValidationRule(value = "!has(self.size) || !has(oldSelf.size) || self.size == oldSelf.size",
        message = "redis.storage.size cannot change after creation; expand the PersistentVolumeClaim itself if its StorageClass allows it",
        fieldPath = ".size")
@ValidationRule(value = "has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
        message = "redis.storage.storageClassName cannot change after creation", fieldPath = ".storageClassName")
public class StorageSpec {
    @JsonPropertyDescription("Volume size, a quantity such as 1Gi.")
    @Default("1Gi")
    @ValidationRule(value = "isQuantity(string(self))", message = "must be a quantity such as 512Mi or 1Gi")
    private Quantity size;

    @JsonPropertyDescription("StorageClass of the volume; unset uses the cluster's default class.")
    private String storageClassName;

    @JsonPropertyDescription("Keep the volume, and so the history, when the ChatService is deleted; a new ChatService of the same name takes it over.")
    @Default("true")
    private Boolean keepOnDelete;

    public Quantity getSize() { return size; }
    public void setSize(Quantity size) { this.size = size; }
    public String getStorageClassName() { return storageClassName; }
    public void setStorageClassName(String storageClassName) { this.storageClassName = storageClassName; }
    public Boolean getKeepOnDelete() { return keepOnDelete; }
    public void setKeepOnDelete(Boolean keepOnDelete) { this.keepOnDelete = keepOnDelete; }
}
