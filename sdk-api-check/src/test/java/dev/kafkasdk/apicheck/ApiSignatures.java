package dev.kafkasdk.apicheck;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a module's public API as sorted text lines, one per type and one per member, each prefixed
 * by its type's name: what a caller compiles against (types, supertypes, public and protected
 * constructors, methods and fields with generic signatures, constant values). Method bodies,
 * private members and annotations are not part of it.
 */
final class ApiSignatures {
  private static final int MEMBER_MODIFIERS =
      Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT;

  private ApiSignatures() {}

  static List<String> of(PublishedModule module) {
    List<String> lines = new ArrayList<>();
    for (String name : module.apiClassNames()) {
      Class<?> type = load(name, module.loader());
      if (isVisible(type.getModifiers())) {
        describe(type, lines);
      }
    }
    return lines.stream().sorted().distinct().collect(Collectors.toList());
  }

  /** Public types of a module's API packages, nested ones included. */
  static List<Class<?>> types(PublishedModule module) {
    List<Class<?>> types = new ArrayList<>();
    for (String name : module.apiClassNames()) {
      collect(load(name, module.loader()), types);
    }
    return types;
  }

  private static void collect(Class<?> type, List<Class<?>> types) {
    if (!isVisible(type.getModifiers()) || type.isSynthetic()) {
      return;
    }
    types.add(type);
    for (Class<?> nested : type.getDeclaredClasses()) {
      collect(nested, types);
    }
  }

  private static void describe(Class<?> type, List<String> lines) {
    String owner = type.getName() + ": ";
    lines.add(owner + header(type));
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (isVisible(c.getModifiers()) && !c.isSynthetic()) {
        lines.add(owner + modifiers(c.getModifiers()) + typeParameters(c) + "<init>" + rest(c));
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
        lines.add(
            owner
                + modifiers(m.getModifiers())
                + (m.isDefault() ? "default " : "")
                + typeParameters(m)
                + m.getGenericReturnType().getTypeName()
                + " "
                + m.getName()
                + rest(m));
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (isVisible(f.getModifiers()) && !f.isSynthetic()) {
        lines.add(
            owner
                + modifiers(f.getModifiers())
                + f.getGenericType().getTypeName()
                + " "
                + f.getName()
                + constantValue(f));
      }
    }
    for (Class<?> nested : type.getDeclaredClasses()) {
      if (isVisible(nested.getModifiers()) && !nested.isSynthetic()) {
        describe(nested, lines);
      }
    }
  }

  private static String header(Class<?> type) {
    StringBuilder s = new StringBuilder(modifiers(type.getModifiers() & ~Modifier.INTERFACE));
    if (type.isSealed()) {
      s.append("sealed ");
    }
    s.append(kind(type)).append(' ').append(type.getSimpleName());
    s.append(typeParameters(type.getTypeParameters()));
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && !type.isInterface()) {
      s.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      s.append(type.isInterface() ? " extends " : " implements ").append(typeNames(interfaces));
    }
    Class<?>[] permitted = type.getPermittedSubclasses();
    if (permitted != null) {
      s.append(" permits ").append(typeNames(permitted));
    }
    return s.toString();
  }

  private static String kind(Class<?> type) {
    if (type.isAnnotation()) {
      return "@interface";
    }
    if (type.isInterface()) {
      return "interface";
    }
    if (type.isEnum()) {
      return "enum";
    }
    return type.isRecord() ? "record" : "class";
  }

  private static String rest(Executable e) {
    Type[] params = e.getGenericParameterTypes();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < params.length; i++) {
      String name = params[i].getTypeName();
      if (e.isVarArgs() && i == params.length - 1 && name.endsWith("[]")) {
        name = name.substring(0, name.length() - 2) + "...";
      }
      names.add(name);
    }
    Type[] thrown = e.getGenericExceptionTypes();
    return "("
        + String.join(", ", names)
        + ")"
        + (thrown.length == 0 ? "" : " throws " + typeNames(thrown));
  }

  private static String typeParameters(Executable e) {
    String params = typeParameters(e.getTypeParameters());
    return params.isEmpty() ? "" : params + " ";
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    if (variables.length == 0) {
      return "";
    }
    List<String> params = new ArrayList<>();
    for (TypeVariable<?> v : variables) {
      List<Type> bounds =
          Arrays.stream(v.getBounds()).filter(b -> b != Object.class).collect(Collectors.toList());
      params.add(
          bounds.isEmpty()
              ? v.getName()
              : v.getName() + " extends " + typeNames(bounds.toArray(new Type[0])));
    }
    return "<" + String.join(", ", params) + ">";
  }

  private static String constantValue(Field f) {
    int m = f.getModifiers();
    boolean constant =
        Modifier.isStatic(m)
            && Modifier.isFinal(m)
            && (f.getType().isPrimitive() || f.getType() == String.class);
    if (!constant) {
      return "";
    }
    try {
      return " = " + f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read " + f, e);
    }
  }

  private static String typeNames(Type[] types) {
    return Arrays.stream(types).map(Type::getTypeName).collect(Collectors.joining(", "));
  }

  private static String modifiers(int modifiers) {
    String s = Modifier.toString(modifiers & MEMBER_MODIFIERS);
    return s.isEmpty() ? "" : s + " ";
  }

  private static boolean isVisible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot load " + name, e);
    }
  }
}
