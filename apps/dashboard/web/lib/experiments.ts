import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ok } from './api';

export type ExperimentList = Awaited<ReturnType<typeof listExperiments>>;
export type Experiment = ExperimentList['experiments'][number];
export type ExperimentStatus = Experiment['status'];

const listExperiments = () => ok(api.experiments.$get());
const getExperiment = (id: string) => ok(api.experiments[':id'].$get({ param: { id } }));

export const experimentKeys = {
  all: ['experiments'] as const,
  one: (id: string) => ['experiments', id] as const,
  results: (id: string) => ['experiments', id, 'results'] as const,
  history: (id: string) => ['experiments', id, 'history'] as const,
};

export function useExperiments() {
  return useQuery({ queryKey: experimentKeys.all, queryFn: listExperiments });
}

export function useExperiment(id: string) {
  return useQuery({ queryKey: experimentKeys.one(id), queryFn: () => getExperiment(id) });
}

export function useExperimentHistory(id: string) {
  return useQuery({
    queryKey: experimentKeys.history(id),
    queryFn: () => ok(api.experiments[':id'].history.$get({ param: { id } })),
  });
}

export const STATUS_LABELS: Record<ExperimentStatus, string> = {
  draft: 'Draft',
  running: 'Running',
  stopped: 'Stopped',
  concluded: 'Concluded',
};

export type LifecycleAction = 'start' | 'stop' | 'conclude';

/** Start, stop or conclude (ship a variant); every experiment query is refreshed after it. */
export function useLifecycle(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: { kind: LifecycleAction; shippedVariantKey?: string }) => {
      const param = { id };
      switch (action.kind) {
        case 'start':
          return ok(api.experiments[':id'].start.$post({ param }));
        case 'stop':
          return ok(api.experiments[':id'].stop.$post({ param }));
        case 'conclude':
          return ok(
            api.experiments[':id'].conclude.$post({
              param,
              json: { shippedVariantKey: action.shippedVariantKey ?? '' },
            }),
          );
      }
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: experimentKeys.all }),
  });
}
