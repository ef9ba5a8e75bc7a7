import {
  type ASTVisitor,
  type FieldNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";

/** Field extensions for a field read parent by parent (not in a batch): what each read costs. */
export const costOf = (cost: number) => ({ cost });

/**
 * Refuses an operation costing more than `max`: each field returning an object costs 1 (or its
 * `cost` extension), and what is asked of each edge of a connection costs once per item its `first`
 * may bring: the number given, the default page when none is, the largest page when a variable
 * sets it. (graphql-armor's cost limit counts `first` only when it is written in the query.)
 */
export function costLimitRule(max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return;
      const cost = selectionCost(context, operation.selectionSet, root, 1, new Set());
      if (cost > max) {
        context.reportError(
          new GraphQLError(
            `The query costs ${cost}, more than the ${max} allowed: ask for fewer items or fields.`,
            {
              nodes: [operation],
              extensions: { code: "VALIDATION_FAILED", http: { spec: true, status: 400 } },
            },
          ),
        );
      }
    },
  });
}

function selectionCost(
  context: ValidationContext,
  selectionSet: SelectionSetNode,
  parent: GraphQLNamedType,
  pageSize: number,
  spreading: Set<string>,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(context, selection, parent, pageSize, spreading);
      continue;
    }
    const fragment =
      selection.kind === Kind.FRAGMENT_SPREAD ? context.getFragment(selection.name.value) : selection;
    // A fragment spreading itself is NoFragmentCyclesRule's to report.
    const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
    if (!fragment || (name && spreading.has(name))) continue;
    const condition =
      fragment.typeCondition && context.getSchema().getType(fragment.typeCondition.name.value);
    if (name) spreading.add(name);
    total += selectionCost(context, fragment.selectionSet, condition ?? parent, pageSize, spreading);
    if (name) spreading.delete(name);
  }
  return total;
}

function fieldCost(
  context: ValidationContext,
  node: FieldNode,
  parent: GraphQLNamedType,
  pageSize: number,
  spreading: Set<string>,
): number {
  if (!node.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
  // Introspection and unknown fields are not in the type's fields (unknown ones fail validation).
  const field = parent.getFields()[node.name.value];
  const type = field && getNamedType(field.type);
  if (!field || !type || !isCompositeType(type)) return 0;
  const own = typeof field.extensions.cost === "number" ? field.extensions.cost : 1;
  const children = selectionCost(context, node.selectionSet, type, pageSizeOf(field, node), spreading);
  return own + (node.name.value === "edges" ? pageSize : 1) * children;
}

/** How many items a connection field may bring: its `first`, within the argument's `maxPageSize`. */
function pageSizeOf(field: GraphQLField<unknown, unknown>, node: FieldNode): number {
  const definition = field.args.find((arg) => arg.name === "first");
  if (!definition) return 1;
  const max = Number(definition.extensions.maxPageSize ?? Number.POSITIVE_INFINITY);
  const fallback = Number(definition.defaultValue ?? 1);
  const value = node.arguments?.find((arg) => arg.name.value === "first")?.value;
  if (value === undefined || value.kind === Kind.NULL) return Math.min(fallback, max);
  if (value.kind === Kind.INT) return Math.max(0, Math.min(Number(value.value), max));
  return Number.isFinite(max) ? max : fallback;
}
