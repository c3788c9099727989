// Commands of the Registered Models view.
import type { CommandContext } from '../commandContext.ts';
import { registerCommand } from '../commandContext.ts';
import type { ModelsTreeProvider } from './modelsTreeProvider.ts';

export function registerModelCommands(ctx: CommandContext, models: ModelsTreeProvider): void {
  registerCommand(ctx, 'mlflow.loadMoreModels', () => models.loadMore());
}
