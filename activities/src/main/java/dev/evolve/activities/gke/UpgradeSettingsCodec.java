package dev.evolve.activities.gke;

import com.google.container.v1.NodePool;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Base64;

/** A pool's upgrade settings as heartbeat text (base64 protobuf), so that no field is lost. */
final class UpgradeSettingsCodec {

  private UpgradeSettingsCodec() {}

  static String encode(NodePool.UpgradeSettings settings) {
    return Base64.getEncoder().encodeToString(settings.toByteArray());
  }

  static NodePool.UpgradeSettings decode(String text) {
    try {
      return NodePool.UpgradeSettings.parseFrom(Base64.getDecoder().decode(text));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("heartbeat holds no upgrade settings", e);
    }
  }
}
