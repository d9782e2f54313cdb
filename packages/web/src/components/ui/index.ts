// The design system. Import from "@/components/ui". Two heavier pieces live outside this barrel on purpose
// and are imported from their files: Markdown ("@/components/ui/Markdown") and charts ("@/components/charts/…").
export { Avatar } from "./Avatar";
export { Badge, type BadgeTone, badgeVariants, Kbd } from "./Badge";
export { Button, type ButtonProps, buttonVariants, IconButton, type IconButtonProps } from "./Button";
export { Card, CardAction, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "./Card";
export { ConfirmDialog, type ConfirmDialogProps } from "./ConfirmDialog";
export { CopyButton, type CopyButtonProps } from "./CopyButton";
export {
  Dialog,
  DialogBody,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "./Dialog";
export {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuShortcut,
  DropdownMenuTrigger,
} from "./DropdownMenu";
export { EmptyState, type EmptyStateProps } from "./EmptyState";
export { ErrorState, type ErrorStateProps } from "./ErrorState";
export { Field, type FieldProps } from "./Field";
export { Input, inputClasses, Textarea } from "./Input";
export { LiveDot } from "./LiveDot";
export { Progress } from "./Progress";
export { QueryView, type QueryViewProps } from "./QueryView";
export { RelativeTime } from "./RelativeTime";
export {
  Select,
  SelectContent,
  SelectGroup,
  SelectItem,
  type SelectOption,
  type SelectProps,
  SelectRoot,
  SelectTrigger,
  SelectValue,
} from "./Select";
export { ListSkeleton, Skeleton } from "./Skeleton";
export { Spinner } from "./Spinner";
export {
  AGENT_STATUS_META,
  APPROVAL_STATUS_META,
  COMPANY_STATUS_META,
  GOAL_STATUS_META,
  ISSUE_STATUS_META,
  IssueStatusIcon,
  NODE_STATUS_META,
  PLUGIN_STATUS_META,
  PRIORITY_META,
  PROJECT_STATUS_META,
  PriorityIcon,
  RUN_STATUS_META,
  StatusBadge,
  type StatusKind,
  statusLabel,
  statusMeta,
} from "./StatusBadge";
export { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "./Table";
export { Tabs, TabsContent, TabsList, TabsTrigger, type UrlTab, UrlTabs, useUrlTab } from "./Tabs";
export { dismissToast, Toaster, type ToastInput, toast } from "./Toast";
export { Tooltip, type TooltipProps, TooltipProvider } from "./Tooltip";
