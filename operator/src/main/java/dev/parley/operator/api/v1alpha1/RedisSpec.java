package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The Redis that stores users and history: one pod with AOF on a PersistentVolumeClaim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedisSpec {
    @JsonPropertyDescription("Redis image; unset uses the operator's configured image.")
    private String image;

    @JsonPropertyDescription("The volume Redis keeps its append-only file on.")
    @Default("{}")
    private StorageSpec storage;

    @JsonPropertyDescription("When Redis syncs its append-only file to disk: always (every write) or everysec.")
    @Default("everysec")
    private AppendFsync appendFsync;

    @JsonPropertyDescription("Requests and limits of the Redis container.")
    @Default("{\"requests\": {\"cpu\": \"50m\", \"memory\": \"128Mi\"}, \"limits\": {\"memory\": \"512Mi\"}}")
    private ComputeResources resources;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public StorageSpec getStorage() { return storage; }
    public void setStorage(StorageSpec storage) { this.storage = storage; }
    public AppendFsync getAppendFsync() { return appendFsync; }
    public void setAppendFsync(AppendFsync appendFsync) { this.appendFsync = appendFsync; }
    public ComputeResources getResources() { return resources; }
    public void setResources(ComputeResources resources) { this.resources = resources; }

    /** Redis' appendfsync values that keep acknowledged messages (no "no"). */
    public enum AppendFsync { always, everysec }
}
