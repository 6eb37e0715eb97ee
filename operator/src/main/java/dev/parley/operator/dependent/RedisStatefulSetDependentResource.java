package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.RedisSpec;
import dev.parley.operator.api.v1alpha1.StorageSpec;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.List;

/**
 * Redis as a one-pod StatefulSet: append-only file on, synced as the spec says, on a volume
 * claim with a stable name ({@code data-<name>-redis-0}). The claim's retention policy carries
 * {@code keepOnDelete}: Retain leaves it (and the history) behind when the ChatService goes, and
 * a new ChatService of the same name mounts it again.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisStatefulSetDependentResource extends ChatServiceDependentResource<StatefulSet> {
    public RedisStatefulSetDependentResource() {
        super(StatefulSet.class);
    }

    @Override
    protected String name(ChatService cr) {
        return Names.redis(cr);
    }

    @Override
    protected StatefulSet desired(ChatService cr, DesiredInputs inputs) {
        RedisSpec redis = cr.getSpec().getRedis();
        StorageSpec storage = redis.getStorage();
        String image = redis.getImage() != null ? redis.getImage() : inputs.settings().redisImage();
        // Parsed anew each time: fabric8 builders share nested lists with the object they start from.
        StatefulSet skeleton = ReconcilerUtils.loadYaml(StatefulSet.class, getClass(), "redis-statefulset.yaml");
        return new StatefulSetBuilder(skeleton)
                .withMetadata(metadata(cr, Labels.REDIS))
                .editSpec()
                    .withServiceName(Names.redis(cr))
                    .withNewSelector().withMatchLabels(Labels.selector(cr, Labels.REDIS)).endSelector()
                    .editPersistentVolumeClaimRetentionPolicy()
                        .withWhenDeleted(Boolean.FALSE.equals(storage.getKeepOnDelete()) ? "Delete" : "Retain")
                    .endPersistentVolumeClaimRetentionPolicy()
                    .editTemplate()
                        .withNewMetadata().withLabels(Labels.of(cr, Labels.REDIS)).endMetadata()
                        .editSpec()
                            .editFirstContainer()
                                .withImage(image)
                                .withImagePullPolicy(cr.getSpec().getImagePullPolicy().name())
                                .withCommand(command(redis))
                                .withResources(Resources.of(redis.getResources()))
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                    .withVolumeClaimTemplates(new PersistentVolumeClaimBuilder()
                            .withNewMetadata()
                                .withName(Names.REDIS_VOLUME)
                                .withLabels(Labels.of(cr, Labels.REDIS))
                            .endMetadata()
                            .withNewSpec()
                                .withAccessModes("ReadWriteOnce")
                                .withStorageClassName(storage.getStorageClassName())
                                .withNewResources().addToRequests("storage", storage.getSize()).endResources()
                            .endSpec()
                            .build())
                .endSpec()
                .build();
    }

    /**
     * Redis from the command line, no config file: every image that has redis-server on its PATH
     * works (the public one, or ours made from Debian's package). No RDB snapshots: the
     * append-only file is the one copy, and it is what keeps acknowledged messages.
     */
    static List<String> command(RedisSpec redis) {
        return List.of("redis-server",
                "--port", String.valueOf(Names.REDIS_PORT),
                "--bind", "0.0.0.0",
                "--protected-mode", "no",
                "--dir", "/data",
                "--appendonly", "yes",
                "--appendfsync", redis.getAppendFsync().name(),
                "--auto-aof-rewrite-min-size", String.valueOf(aofRewriteMinBytes(redis.getStorage().getSize())),
                "--save", "");
    }

    /**
     * When Redis rewrites its append-only file: once it has grown by a quarter of the volume.
     * Redis' own threshold, 64 MB, is two seconds of writes at 30,000 messages a second, and each
     * rewrite forks Redis and writes the whole data set again, which showed as a tail of hundreds
     * of milliseconds in docs/benchmarks.md. A quarter leaves room on the volume for the old file,
     * the growth and the new file while the data set stays under about a third of it.
     */
    static long aofRewriteMinBytes(Quantity volume) {
        long redisDefault = 64L << 20;
        if (volume == null) {
            return redisDefault;
        }
        return Math.max(redisDefault, Quantity.getAmountInBytes(volume).longValue() / 4);
    }
}
