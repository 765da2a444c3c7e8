import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs `<mainClass> <args…>` and exits (running its shutdown hooks) when stdin reaches its end,
 * i.e. when the Node process that started it is gone: no broker outlives a killed test run.
 * Used by tools/engines/engines.ts as `java -cp <classpath> ParentWatch.java kafka.Kafka …`.
 */
public class ParentWatch {
  public static void main(String[] args) throws Exception {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // the parent keeps stdin open while it lives
        }
      } catch (Exception ignored) {
        // stdin closed
      }
      System.exit(0);
    }, "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
