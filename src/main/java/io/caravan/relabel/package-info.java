/**
 * Prometheus relabelling, exact by Prometheus 3's rules (model/relabel): the eleven actions, RE2 regexes
 * anchored as {@code ^(?s:REGEX)$}, Go's {@code $1}/{@code ${name}} expansion, Prometheus' hashmod buckets,
 * UTF-8 label names by default and legacy names on request.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link io.caravan.relabel.RelabelRules#load(java.nio.file.Path)} /
 *       {@link io.caravan.relabel.RelabelRules#parse(String, String)}: a YAML list of relabel_configs, spelled
 *       as in a Prometheus config; every problem is a {@link io.caravan.relabel.RelabelConfigException} naming
 *       the source, the rule (counted from 1) and the line.</li>
 *   <li>{@link io.caravan.relabel.RelabelRules#apply(io.caravan.model.Labels)}: the relabelled labels or null
 *       when dropped; {@link io.caravan.relabel.RelabelRules#process(io.caravan.model.Labels.Builder)} on a
 *       builder the caller reuses.</li>
 *   <li>{@link io.caravan.relabel.RelabelRule#builder()} and
 *       {@link io.caravan.relabel.RelabelRules#of(java.util.List)} for rules made in code.</li>
 *   <li>{@link io.caravan.relabel.RelabelCommand}: {@code relabel --rules RULES.yaml [--legacy-names]} over JSON
 *       lines, without Spring or Camel.</li>
 * </ul>
 */
package io.caravan.relabel;
