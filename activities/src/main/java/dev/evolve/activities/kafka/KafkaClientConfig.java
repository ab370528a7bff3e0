package dev.evolve.activities.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * How the worker reaches Kafka: a default bootstrap list and client properties (security
 * settings above all), which never travel in a workflow input.
 *
 * @param bootstrapServers EVOLVE_KAFKA_BOOTSTRAP_SERVERS; a request's own bootstrap list wins
 * @param clientProperties read from the file named by EVOLVE_KAFKA_CLIENT_PROPERTIES
 */
public record KafkaClientConfig(String bootstrapServers, Properties clientProperties) {

  public static KafkaClientConfig fromEnvironment(Map<String, String> env) throws IOException {
    Properties properties = new Properties();
    String file = env.get("EVOLVE_KAFKA_CLIENT_PROPERTIES");
    if (file != null && !file.isBlank()) {
      try (Reader reader = Files.newBufferedReader(Path.of(file))) {
        properties.load(reader);
      }
    }
    // compose files pass unset variables as empty strings
    String bootstrap = env.get("EVOLVE_KAFKA_BOOTSTRAP_SERVERS");
    return new KafkaClientConfig(bootstrap == null || bootstrap.isBlank() ? null : bootstrap, properties);
  }
}
