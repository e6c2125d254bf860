package io.caravan.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * fabric8's {@link LeaseLock}, remembering until when this agent may act on the Lease: the renewTime of its own last
 * successful write of its name, plus the renew deadline. Only writes count. A read that finds our name (a restart, or a
 * renewal that landed after we gave up) is not a renewal, and a read that names someone else ends our hold at once.
 * The others may take over at renewTime + leaseDuration; the renew deadline is shorter, so we have stopped by then.
 * It also keeps the API server's last refusal or silence, for the log and the health page.
 */
final class HeldLeaseLock implements Lock {

    private final LeaseLock lease;
    private final Duration renewDeadline;
    private volatile Instant heldUntil = Instant.EPOCH;
    private volatile boolean retired;
    private volatile LeaderElectionRecord seen;
    private final AtomicReference<String> error;

    /** @param error where the last failure is kept; the election's, so it outlives a term */
    HeldLeaseLock(String namespace, String name, String identity, Duration renewDeadline, AtomicReference<String> error) {
        this.lease = new LeaseLock(namespace, name, identity);
        this.renewDeadline = renewDeadline;
        this.error = error;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
        LeaderElectionRecord record = call(() -> lease.get(client));
        if (record != null && !identity().equals(record.getHolderIdentity())) {
            heldUntil = Instant.EPOCH;
        }
        seen = record;
        return record;
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
        call(() -> {
            lease.create(client, record);
            return null;
        });
        wrote(record);
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
        call(() -> {
            lease.update(client, record);
            return null;
        });
        wrote(record);
    }

    private void wrote(LeaderElectionRecord record) {
        boolean ours = identity().equals(record.getHolderIdentity()) && !retired;
        heldUntil = ours ? record.getRenewTime().toInstant().plus(renewDeadline) : Instant.EPOCH;
        seen = record;
    }

    private <T> T call(java.util.function.Supplier<T> request) {
        try {
            T result = request.get();
            error.set(null);
            return result;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // a conflict is a race lost to another agent, not a fault
                error.set(describe(e));
            }
            throw e;
        }
    }

    /** What went wrong, in words; a client exception carries the URL and the status, never a request header. */
    static String describe(KubernetesClientException e) {
        if (e.getCode() > 0) {
            String said = e.getStatus() != null && e.getStatus().getMessage() != null ? ": " + e.getStatus().getMessage() : "";
            return "the API server answered " + e.getCode() + said;
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "no answer from the API server: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    }

    /** Whether our last write of our name is younger than the renew deadline (and no read has shown another holder). */
    boolean held(Instant now) {
        return now.isBefore(heldUntil);
    }

    /** Stops counting writes, those still in flight included: the term that makes them is over. */
    void retire() {
        retired = true;
        heldUntil = Instant.EPOCH;
    }

    /** Whether we held the Lease and the renew deadline ran out on it. */
    boolean lapsed(Instant now) {
        return !heldUntil.equals(Instant.EPOCH) && !now.isBefore(heldUntil);
    }

    /** The holder the API server last named, while its Lease runs; null when there is none. */
    String holder(Instant now) {
        LeaderElectionRecord r = seen;
        if (r == null || r.getHolderIdentity() == null || r.getHolderIdentity().isEmpty()
                || now.isAfter(r.getRenewTime().toInstant().plus(r.getLeaseDuration()))) {
            return null;
        }
        return r.getHolderIdentity();
    }

    @Override
    public String identity() {
        return lease.identity();
    }

    @Override
    public String describe() {
        return lease.describe();
    }
}
