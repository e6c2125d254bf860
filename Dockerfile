# syntax=docker/dockerfile:1
# Caravan node agent image. Build: docker build -t caravan:0.1.0 .
#
# Stage 1: build the Spring Boot jar and split it into its layers (dependencies change rarely, the
# application on every commit), so a rebuild re-sends only the last layer.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# The Maven repository lives in a BuildKit cache mount: dependencies are downloaded once per builder.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests
RUN java -Djarmode=tools -jar target/caravan.jar extract --layers --destination /extracted

# Stage 2: the runtime, a JRE and the layers, run as 473:473 (the seed's non-root UID).
FROM eclipse-temurin:17-jre
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
# Class data sharing: a training start (the Spring context up to its refresh, then exit) records the ~15,000
# classes the agent loads into /app/caravan.jsa; every start then maps them instead of finding, reading and
# verifying each in ~180 jars, which is most of the start-up CPU. Rebuilt with every image, so it always
# matches the jars beside it (a stale or missing archive only costs the speed-up: the JVM warns and goes on).
RUN CARAVAN_DATA_DIR=/tmp/cds-training java -XX:ArchiveClassesAtExit=/app/caravan.jsa -Dspring.context.exit=onRefresh \
      -jar /app/caravan.jar > /tmp/cds-training.log 2>&1 \
 && test -s /app/caravan.jsa && rm -rf /tmp/cds-training /tmp/cds-training.log
# JVM options for a small, steady agent: the serial collector (one node's pipelines need no parallel GC
# threads), a heap that follows the container's memory limit but is handed back when idle, smaller thread
# stacks, the class archive. In JAVA_TOOL_OPTIONS rather than on the java command line because the command
# line wins over JAVA_TOOL_OPTIONS: this way the chart or `docker run -e` can override them.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xss512k -XX:SharedArchiveFile=/app/caravan.jsa -XX:+ExitOnOutOfMemoryError" \
    CARAVAN_DATA_DIR=/var/lib/caravan
USER 473:473
EXPOSE 12345
# No HEALTHCHECK: Kubernetes probes /actuator/health/liveness and /readiness.
# Arguments after the image name pick a command: run (default), relabel, node-metrics, validate.
ENTRYPOINT ["java", "-jar", "/app/caravan.jar"]
