package dev.evolve.activities.gke;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.container.v1.ClusterManagerClient;
import com.google.cloud.container.v1.ClusterManagerSettings;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;

/** The GKE client: Application Default Credentials, or a plaintext endpoint such as the fake GKE. */
public final class GkeClients {

  private GkeClients() {}

  /**
   * @param endpoint null for the real GKE API with Application Default Credentials; host:port for
   *     a stand-in reached in plaintext without credentials
   */
  public static ClusterManagerClient create(String endpoint) throws IOException {
    if (endpoint == null || endpoint.isBlank()) {
      return ClusterManagerClient.create();
    }
    ClusterManagerSettings settings = ClusterManagerSettings.newBuilder()
        .setEndpoint(endpoint)
        .setCredentialsProvider(NoCredentialsProvider.create())
        .setTransportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder()
            .setEndpoint(endpoint)
            .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
            .build())
        .build();
    return ClusterManagerClient.create(settings);
  }
}
