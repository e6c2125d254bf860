package io.caravan.scrape;

/** A scrape's body as the target sent it (uncompressed), and its Content-Type, which says how to parse it. */
record Fetched(byte[] body, String contentType) {
}
