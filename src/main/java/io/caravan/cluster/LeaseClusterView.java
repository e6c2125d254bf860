package io.caravan.cluster;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One master: group as Camel sees it, led through the Lease {@code leaders-<group>}. A tick every 100 ms turns what the
 * {@link LeaseElection} knows into Camel's leadership events: the master consumer starts its source on "leader" and
 * stops it on anything else.
 * <p>
 * While standing by, the view repeats "not leader" every retry period. camel-master 4.18 drops a loss that arrives
 * while a start is still pending (CAMEL-24583) and then starts the source on a non-leader; the repeat finds that source
 * and stops it within a retry period.
 */
public final class LeaseClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterView.class);
    private static final long TICK_MILLIS = 100;

    private final LeaseClusterService service;
    private final String leaseName;
    private final Member local;
    private volatile LeaseElection election;
    private volatile boolean leading;
    private volatile Instant since = Instant.now();
    private Instant lastEvent = Instant.EPOCH; // ticker thread only
    private String lastError; // ticker thread only
    private ScheduledExecutorService ticker;
    private ExecutorService electors;

    LeaseClusterView(LeaseClusterService service, String group, String leaseName) {
        super(service, group);
        this.service = service;
        this.leaseName = leaseName;
        this.local = new Member(service.identity(), true);
    }

    @Override
    protected synchronized void doStart() {
        var threads = getCamelContext().getExecutorServiceManager();
        electors = threads.newCachedThreadPool(this, "LeaseElector[" + getNamespace() + "]");
        election = new LeaseElection(service.client(), service.namespace(), leaseName, service.identity(), service.timing(), electors);
        ticker = threads.newSingleThreadScheduledExecutor(this, "LeaseView[" + getNamespace() + "]");
        ticker.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("master:{}: standing for the Lease {} as {}", getNamespace(), election.describe(), service.identity());
    }

    /**
     * Steps down and ends the candidacy, quickly: camel-master stops the source only after this returns. The Lease is
     * handed on later, by {@link #release()}, once the routes have stopped.
     */
    @Override
    protected void doStop() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
            ticker = null;
        }
        if (t != null) {
            // no interrupt, and wait: a tick in progress may be stopping a source
            getCamelContext().getExecutorServiceManager().shutdownGraceful(t, 5_000);
        }
        if (leading) {
            change(false, "this agent is stopping");
        }
        if (election != null) {
            election.stop();
        }
        if (electors != null) {
            getCamelContext().getExecutorServiceManager().shutdown(electors); // the last term's cancellation still runs
        }
    }

    /** Hands the Lease on if it names this agent; a stopped view only. */
    void release() {
        LeaseElection e = election;
        if (e != null && isStopped()) {
            e.release();
        }
    }

    private void tick() {
        try {
            Instant now = Instant.now();
            LeaseElection e = election;
            e.check(now);
            boolean lead = e.leading(now);
            reportError(e.error());
            if (lead != leading) {
                change(lead, lead ? "the Lease is ours" : e.error() != null
                        ? "the Lease was not renewed within the renew deadline: " + e.error() : "another agent holds the Lease");
                lastEvent = now;
            } else if (!lead && !now.isBefore(lastEvent.plus(service.timing().retryPeriod()))) {
                fireLeadershipChangedEvent(getLeader().orElse(null)); // the CAMEL-24583 reminder
                lastEvent = now;
            }
        } catch (RuntimeException e) {
            LOG.warn("master:{}: leadership check failed: {}", getNamespace(), e.toString(), e);
        }
    }

    private void change(boolean lead, String why) {
        leading = lead;
        since = Instant.now();
        if (lead) {
            LOG.info("master:{}: leading ({})", getNamespace(), why);
        } else {
            LOG.info("master:{}: standing by ({}); leader: {}", getNamespace(), why, leaderId().orElse("not known"));
        }
        fireLeadershipChangedEvent(getLeader().orElse(null));
    }

    /** A failing election is logged once per new reason, and once when it recovers, not at every retry. */
    private void reportError(String error) {
        if (error != null && !error.equals(lastError)) {
            LOG.warn("master:{}: the Lease {} cannot be read or renewed: {}; retrying every {} ms", getNamespace(),
                    election.describe(), error, service.timing().retryPeriod().toMillis());
        } else if (error == null && lastError != null) {
            LOG.info("master:{}: the Lease {} answers again", getNamespace(), election.describe());
        }
        lastError = error;
    }

    public boolean isLeading() {
        return leading;
    }

    /** When this agent last began to lead or to stand by. */
    public Instant since() {
        return since;
    }

    /** Who leads the group: this agent, or the holder the Lease last named while it runs. */
    public Optional<String> leaderId() {
        if (leading) {
            return Optional.of(local.getId());
        }
        LeaseElection e = election;
        return Optional.ofNullable(e == null ? null : e.holder(Instant.now())).filter(id -> !id.equals(local.getId()));
    }

    public String leaseName() {
        return service.namespace() + "/" + leaseName;
    }

    /** The API server's last refusal or silence, or null. */
    public String lastError() {
        LeaseElection e = election;
        return e == null ? null : e.error();
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leaderId().map(id -> id.equals(local.getId()) ? local : new Member(id, false));
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    /** The Lease names only its holder: the members known here are this agent and that holder. */
    @Override
    public List<CamelClusterMember> getMembers() {
        List<CamelClusterMember> members = new ArrayList<>(List.of(local));
        leaderId().filter(id -> !id.equals(local.getId())).ifPresent(id -> members.add(new Member(id, false)));
        return members;
    }

    private final class Member implements CamelClusterMember {
        private final String id;
        private final boolean isLocal;

        Member(String id, boolean isLocal) {
            this.id = id;
            this.isLocal = isLocal;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return isLocal ? leading : leaderId().map(id::equals).orElse(false);
        }

        @Override
        public boolean isLocal() {
            return isLocal;
        }
    }
}
