package io.caravan.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This agent's candidacy for one Lease, on fabric8's {@link LeaderElector} (client-go's algorithm: take the Lease once
 * its renewTime + leaseDurationSeconds has passed, renew it every retry period). A fabric8 elector serves one term:
 * it ends when it loses the Lease, and the next term starts a retry period later.
 * <p>
 * Whether this agent leads is not what the elector's callbacks say (a new elector calls onStartLeading for a Lease that
 * merely still names us) but what {@link HeldLeaseLock} knows: our name written less than the renew deadline ago. So a
 * leader cut off from the API server stops acting at renewTime + renewDeadline, before anyone may take over at renewTime
 * + leaseDuration, even while a request of its elector still hangs; that term is then retired and a new one started.
 */
final class LeaseElection {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseElection.class);
    private static final LeaderCallbacks NO_CALLBACKS = new LeaderCallbacks(() -> { }, () -> { }, holder -> { });

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final LeaseTiming timing;
    private final Executor executor;
    private final AtomicReference<String> error = new AtomicReference<>();

    // the current term; guarded by this
    private HeldLeaseLock lock;
    private CompletableFuture<?> term;
    private Instant nextTerm = Instant.EPOCH;
    private boolean stopped;
    private CompletableFuture<?> stopping = CompletableFuture.completedFuture(null);

    LeaseElection(KubernetesClient client, String namespace, String name, String identity, LeaseTiming timing, Executor executor) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.timing = timing;
        this.executor = executor;
        this.lock = newLock();
    }

    String describe() {
        return namespace + "/" + name;
    }

    synchronized boolean leading(Instant now) {
        return !stopped && lock.held(now);
    }

    /** Who holds the Lease as last read or written, while it runs; null when nobody does. */
    synchronized String holder(Instant now) {
        return lock.holder(now);
    }

    /** The API server's last refusal or silence for this Lease, or null once it answers. */
    String error() {
        return error.get();
    }

    /** Called often: retires a term that lost the Lease or let it lapse, and starts the next one when it is due. */
    synchronized void check(Instant now) {
        if (stopped) {
            return;
        }
        if (term != null && (term.isDone() || lock.lapsed(now))) {
            CompletableFuture<?> old = term;
            term = null;
            lock.retire(); // a term that ended, or let the Lease lapse, leads no more, even if a late renewal lands
            nextTerm = now.plus(timing.retryPeriod());
            // cancelling waits for the elector's request in flight (bounded by the request timeout): not on this thread
            executor.execute(() -> old.cancel(true));
        }
        if (term == null && !now.isBefore(nextTerm)) {
            lock = newLock();
            LeaderElector elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
                    .withName(name)
                    .withLock(lock)
                    .withLeaseDuration(timing.leaseDuration())
                    .withRenewDeadline(timing.renewDeadline())
                    .withRetryPeriod(timing.retryPeriod())
                    .withLeaderCallbacks(NO_CALLBACKS) // leading() reads the lock instead
                    .withReleaseOnCancel(false) // release() does, once the sources have stopped
                    .build(), executor);
            term = elector.start();
            term.whenComplete((ok, error) -> {
                if (error != null && !(error instanceof CancellationException)) {
                    LOG.warn("Lease {}: the election ended with {}; a new one starts in {} ms", describe(), error.toString(),
                            timing.retryPeriod().toMillis());
                }
            });
        }
    }

    /**
     * Ends the candidacy without waiting: the view stops while its master consumer's source still runs (camel-master
     * stops that only after it has let go of the view), so the elector's request in flight is not waited for here.
     */
    void stop() {
        CompletableFuture<?> old;
        synchronized (this) {
            stopped = true;
            old = term;
            term = null;
            stopping = old == null ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(() -> old.cancel(true), executor);
        }
    }

    /**
     * Hands the Lease on, if it names us: an empty holder, which a candidate takes at its next try instead of after a
     * lease duration. Called once the sources have stopped (LeaseClusterService.doStop, after the routes), and once
     * the last term has ended, so no renewal of ours can land after it.
     */
    void release() {
        HeldLeaseLock last;
        CompletableFuture<?> ended;
        synchronized (this) {
            if (!stopped) {
                return;
            }
            last = lock;
            ended = stopping;
        }
        try {
            ended.get(timing.requestTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debug("Lease {}: the last term did not end in time", describe(), e);
        }
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                releaseOnce(last);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 2) { // a conflict: it changed between our read and write; read again
                    LOG.info("Lease {}: not released ({}); the next leader takes over when it expires", describe(),
                            HeldLeaseLock.describe(e));
                    return;
                }
            }
        }
    }

    private void releaseOnce(HeldLeaseLock lease) {
        LeaderElectionRecord current = lease.get(client);
        if (current == null || !identity.equals(current.getHolderIdentity())) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        lease.update(client, new LeaderElectionRecord("", Duration.ofSeconds(1), now, now, current.getLeaderTransitions()));
        LOG.info("Lease {}: released", describe());
    }

    private HeldLeaseLock newLock() {
        return new HeldLeaseLock(namespace, name, identity, timing.renewDeadline(), error);
    }
}
