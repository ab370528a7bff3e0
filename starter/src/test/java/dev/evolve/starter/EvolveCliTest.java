package dev.evolve.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.evolve.workflows.model.TempPoolPolicy;
import dev.evolve.workflows.model.UpgradeRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvolveCliTest {

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      System.setOut(new PrintStream(out, true));
      System.setErr(new PrintStream(err, true));
      return new Run(EvolveCli.run(args), out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** A loopback port with nothing listening: a Temporal address that cannot answer. */
  static String deadAddress() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void badInputIsRefusedNamingTheFieldBeforeTemporalIsContacted() throws Exception {
    Run run = run("start", "--address", deadAddress(), "--project", "p", "--location", "europe-west1",
        "--cluster", "prod", "--pool", "default-pool", "--target-version", "one.two", "--settle-seconds", "-3",
        "--kafka", "kafka/kafka");

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("targetVersion"), run.err());
    assertTrue(run.err().contains("kafka.settleSeconds"), run.err());
    assertTrue(run.err().contains("nothing was started"), run.err());
  }

  @Test
  void aMissingFieldIsNamed() throws Exception {
    Run run = run("plan", "--address", deadAddress(), "--project", "p", "--location", "l", "--pool", "x",
        "--target-version", "-");

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("cluster is missing"), run.err());
  }

  @Test
  void anUnreachableTemporalIsReportedAsSuch() throws Exception {
    Run run = run("status", "--address", deadAddress(), "evolve-prod-default-pool");

    assertEquals(3, run.exit(), run.err());
    assertTrue(run.err().contains("cannot reach Temporal") || run.err().contains("error:"), run.err());
  }

  @Test
  void flagsOverrideTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("request.json");
    Files.writeString(file, """
        {"project": "p", "location": "europe-west1", "cluster": "prod", "nodePool": "default-pool",
         "targetVersion": "1.33.5-gke.1201000", "tempPoolPolicy": "KEEP",
         "kafka": {"namespace": "kafka", "statefulSet": "kafka", "settleSeconds": 90},
         "startWindow": {"start": "02:00", "end": "06:00", "timeZone": "Europe/Berlin"},
         "heartbeatTimeoutSeconds": 20,
         "someFutureField": true}
        """);
    RequestOptions options = new RequestOptions();
    new CommandLine(options).parseArgs("--file", file.toString(), "--settle-seconds", "30", "--pool", "pool-b");

    UpgradeRequest request = options.request();

    assertEquals("pool-b", request.nodePool());
    assertEquals(30L, request.kafka().settleSeconds());
    assertEquals("kafka", request.kafka().statefulSet());
    assertEquals(TempPoolPolicy.KEEP, request.tempPoolPolicyOrDefault());
    assertEquals("pool-b-temp", request.tempPoolName());
    assertEquals("02:00", request.startWindow().start(), "fields without a flag come from the file");
    assertEquals(20L, request.heartbeatTimeoutSeconds());
  }

  @Test
  void anUnreadableFileIsBadInput(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{ not json");

    Run run = run("start", "--address", deadAddress(), "--file", file.toString());

    assertEquals(2, run.exit());
    assertTrue(run.err().contains("cannot read"), run.err());
  }

  @Test
  void aBadScheduleIsRefusedBeforeTemporalIsContacted() throws Exception {
    Run run = run("schedule", "create", "--address", deadAddress(), "--project", "p", "--location", "europe-west1",
        "--cluster", "prod", "--pool", "default-pool", "--target-version", "-", "--every", "weekly");

    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("--every 'weekly'"), run.err());
    assertTrue(run.err().contains("nothing was created"), run.err());
  }
}
