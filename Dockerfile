# syntax=docker/dockerfile:1
# Caravan node agent image. Build: docker build -t caravan:0.1.0 .
#
# Stage 1: build the Spring Boot jar and split it into its layers (dependencies change rarely, the
# application on every commit), so a rebuild re-sends only the last layer.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# The Maven repository lives in a BuildKit cache mount: dependencies are downloaded once per builder.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests
RUN java -Djarmode=tools -jar target/caravan.jar extract --layers --destination /extracted

# Stage 2: the runtime, a Java 25 JRE and the layers, run as 473:473 (the seed's non-root UID).
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 473 caravan \
 && useradd --system --uid 473 --gid 473 --home-dir /app --no-create-home --shell /usr/sbin/nologin caravan \
 && mkdir -p /app /var/lib/caravan \
 && chown 473:473 /var/lib/caravan
WORKDIR /app
# Least to most often changed: one image layer each.
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
# JVM options for a small, steady agent (BENCHMARKS.md measures each): the serial collector (one node's pipelines
# need no parallel GC threads), compact object headers (8-byte headers: a smaller heap for the same objects), a heap
# that follows the container's memory limit but is handed back when idle, a young generation of at least 32 MiB (the
# 1/64 initial heap of a 1Gi container left it at 5 MiB: scrape bodies went straight to the old generation, which
# grew to twice the live set under a seed-sized load), smaller thread stacks. In
# JAVA_TOOL_OPTIONS rather than on the java command line because the command line wins over JAVA_TOOL_OPTIONS:
# this way the chart or `docker run -e` can override them. Two malloc arenas instead of one per core and thread
# burst: the JVM allocates little with malloc, and each arena keeps its own free memory resident.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:NewSize=32m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2 \
    CARAVAN_DATA_DIR=/var/lib/caravan
# The AOT cache (JEP 483/514/515): a training run of the embedded default, with the options above, records the
# ~13,000 classes the agent loads, already parsed, verified and linked, and the method profiles of its first half
# minute; every start then maps them instead of finding, reading and verifying each class in ~180 jars and
# profiling from scratch. The run lasts until 30 s after ready (the first scrapes, the node exporter and the sinks
# included), with every address on loopback. Rebuilt with every image, so it always matches the jars beside it (a
# stale or missing cache only costs the speed-up: the JVM warns and goes on). Same JVM, class path and GC options
# at run time, or the JVM ignores the cache.
RUN CARAVAN_DATA_DIR=/tmp/aot-training KUBERNETES_MASTER=https://127.0.0.1:1 BLACKBOX_EXPORTER_ADDRESS=127.0.0.1:1 \
      java -XX:AOTCacheOutput=/app/caravan.aot -Dcaravan.training.exit-after-ready=30s -jar /app/caravan.jar > /tmp/aot-training.log 2>&1 \
 && test -s /app/caravan.aot && rm -rf /tmp/aot-training /tmp/aot-training.log
# The java launcher reads JDK_JAVA_OPTIONS (JAVA_TOOL_OPTIONS is the JVM's own): set only after the training,
# which must not read the cache it writes.
ENV JDK_JAVA_OPTIONS="-XX:AOTCache=/app/caravan.aot"
USER 473:473
EXPOSE 12345
# No HEALTHCHECK: Kubernetes probes /actuator/health/liveness and /readiness.
# Arguments after the image name pick a command: run (default), relabel, node-metrics, validate.
ENTRYPOINT ["java", "-jar", "/app/caravan.jar"]
