# The evolve worker. Built by docker-compose.yml, or: docker build -t evolve-worker .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
# only the worker and what it depends on; the tests run in CI, not in the image build
RUN ./mvnw -B -q -pl worker -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 evolve
WORKDIR /app
COPY --from=build /src/worker/target/classes /app/classes
COPY --from=build /src/worker/target/lib /app/lib
USER evolve
# /metrics (Prometheus), /healthz and /readyz: EVOLVE_METRICS_PORT, 9464 unless set
EXPOSE 9464
# Temporal connection from TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY, GKE from
# Application Default Credentials (or EVOLVE_GKE_ENDPOINT), Kubernetes from KUBECONFIG or, in a
# pod, its service account (deploy/kubernetes/).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/classes:/app/lib/*", "dev.evolve.worker.EvolveWorker"]
