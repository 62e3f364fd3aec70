package dev.netserver.config;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Objects;

/**
 * A custom TCP protocol: {@code "protocol": "handler:com.example.Fortune"}, a class on the class path (in any
 * JVM language) that implements Vert.x's {@code Handler<NetSocket>}, so an existing Vert.x connection handler
 * works unchanged. It is made once per listener instance, with the listener's {@code options} when it has a
 * constructor taking a {@link JsonObject}, else with its no-argument constructor.
 *
 * @param className the class's binary name
 * @param options   the listener's {@code options}, or {@code null} when it has none
 */
public record HandlerProtocol(String className, JsonObject options) {

  /** How {@code protocol} spells a custom protocol: this prefix, then the class name. */
  public static final String PREFIX = "handler:";

  public HandlerProtocol {
    Objects.requireNonNull(className, "className");
  }

  /** The spelling in the configuration, {@code handler:com.example.Fortune}. */
  public String configName() {
    return PREFIX + className;
  }

  /**
   * Why this class cannot serve, or {@code null} when it can: it is looked up without being initialised
   * (so a check runs none of its code), then its type and constructor are checked.
   */
  public String problem() {
    Class<?> type;
    try {
      type = Class.forName(className, false, loader());
    } catch (ClassNotFoundException | LinkageError e) {
      return "names class " + className + ", which is not on the class path (add its jar to plugins/)";
    }
    if (!Handler.class.isAssignableFrom(type) || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      return "names class " + className + ", which is not a concrete class implementing io.vertx.core.Handler<NetSocket>";
    }
    if (constructor(type) == null) {
      return "names class " + className + ", which has no public constructor taking "
        + (options != null ? "a JsonObject (the listener has \"options\")" : "no argument or a JsonObject");
    }
    return null;
  }

  /** A new handler; the configuration has been checked ({@link #problem()}), so a failure here is the class's own. */
  @SuppressWarnings("unchecked")
  public Handler<NetSocket> create() throws ReflectiveOperationException {
    Class<?> type = Class.forName(className, true, loader());
    Constructor<?> constructor = constructor(type);
    if (constructor == null) {
      throw new NoSuchMethodException(problem());
    }
    try {
      return (Handler<NetSocket>) (constructor.getParameterCount() == 1
        ? constructor.newInstance(options != null ? options.copy() : new JsonObject())
        : constructor.newInstance());
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? new ReflectiveOperationException(cause) : e;
    }
  }

  /** The JsonObject constructor, else (when there are no options) the no-argument one, else null. */
  private Constructor<?> constructor(Class<?> type) {
    try {
      return type.getConstructor(JsonObject.class);
    } catch (NoSuchMethodException | LinkageError none) {
      if (options != null) {
        return null;
      }
    }
    try {
      return type.getConstructor();
    } catch (NoSuchMethodException | LinkageError none) {
      return null;
    }
  }

  /** The loader that sees plugins/*.jar: the application class path (./run.sh puts them on it). */
  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : HandlerProtocol.class.getClassLoader();
  }
}
