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
# The heap follows the container's memory limit. In JAVA_TOOL_OPTIONS rather than on the java command
# line because the command line wins over JAVA_TOOL_OPTIONS: this way the chart or `docker run -e` can
# override it.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75" \
    CARAVAN_DATA_DIR=/var/lib/caravan
USER 473:473
EXPOSE 12345
# No HEALTHCHECK: Kubernetes probes /actuator/health/liveness and /readiness.
# Arguments after the image name pick a command: run (default), relabel, node-metrics, validate.
ENTRYPOINT ["java", "-jar", "/app/caravan.jar"]
