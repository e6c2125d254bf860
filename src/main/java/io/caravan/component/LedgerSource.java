package io.caravan.component;

import java.util.List;

/** A component whose endpoints keep a delivery ledger (the durable sinks): the UI and the metrics read them through this. */
public interface LedgerSource {

    /** The ledger of every sink that sends to a receiver through a queue on disk, each read at one moment. */
    List<SinkLedger> ledgers();
}
